#!/usr/bin/env bash
# Runs the packaged p2pnode under a real systemd. Builds the Debian package (cpack -G DEB) from
# a configured and built release tree, unpacks it, and boots /lib/systemd/systemd as PID 1 of
# new PID, mount, UTS and network namespaces (unshare), so the host's services, files, network
# and users are left alone. In there, the package's unit (with ExecStart and --config-file moved
# to where the package was unpacked, as nothing is installed on the host) starts the packaged
# p2pnode on the packaged config.ini, and the test checks: it runs as the p2pnode user, with no
# capabilities, no new privileges and its system-call filter in force; p2pctl reads its status
# over the control socket in its StateDirectory; a kill -9 is restarted (Restart=on-failure); a
# stop is a clean SIGTERM exit (status 0, the node's "stopped" line in the journal); and a start
# after it reopens the store at the same head. Exits 77 (skipped), saying why, when it is not
# root or systemd cannot boot in a namespace here.
# Usage: tests/package/systemd_test.sh BUILD_DIR
set -euo pipefail
if [[ ${1:-} == --help || $# -ne 1 ]]; then
  sed -n '2,13s/^# \{0,1\}//p' "$0"
  [[ ${1:-} == --help ]] && exit 0 || exit 2
fi
build=$(cd "$1" && pwd)
skip() { echo "SKIPPED: $*" >&2; exit 77; }
for tool in cpack dpkg-deb unshare nsenter; do
  command -v "$tool" >/dev/null || skip "$tool is missing (scripts/install-deps.sh installs it)"
done
[[ -x /lib/systemd/systemd ]] || skip "/lib/systemd/systemd is missing (the systemd package)"
[[ $(id -u) -eq 0 ]] || skip "booting systemd in namespaces needs root"

tmp=$(mktemp -d)
sd_pid=
cleanup() {
  # Killing PID 1 of the namespace kills everything in it; its mounts go with it.
  [[ -z $sd_pid ]] || kill -9 "$sd_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

echo "== cpack -G DEB, unpacked"
(cd "$build" && cpack -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
debs=("$tmp"/out/*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || { echo "FAIL: cpack made no single .deb" >&2; exit 1; }
# Under /run in the namespace (a fresh tmpfs): the unit's PrivateTmp would hide /tmp.
pkg=$tmp/pkg
dpkg-deb -x "${debs[0]}" "$pkg"
unit=$pkg/usr/lib/systemd/system/p2pnode.service
[[ -f $unit && -x $pkg/usr/bin/p2pnode && -f $pkg/etc/p2pnode/config.ini ]] || { echo "FAIL: the package lacks the unit, the program or config.ini" >&2; exit 1; }
user_line=$(grep -E '^u +p2pnode ' "$pkg/usr/lib/sysusers.d/p2pnode.conf" || true)
[[ -n $user_line ]] || fail "the package's sysusers.d entry names no p2pnode user"

# What runs as the namespace's init before systemd. systemd at boot empties /tmp (tmpfiles.d's
# tmp.conf) and writes under /var and /etc, so in this mount namespace every mount is made
# read-only and the directories it may write get fresh tmpfs on top: the host's files are never
# touched. The package goes under /run (a tmpfs too), the p2pnode user (as its sysusers.d entry
# makes it) into copies of passwd and group mounted over the originals, loopback comes up, and a
# target that starts nothing is the default. "init: ok" tells a broken setup (a failure) from a
# systemd that cannot boot here (a skip).
cat >"$tmp/init.sh" <<EOF
set -e
mount --make-rprivate /
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/p2ptest /run/systemd/system
cp -a "$pkg" /run/p2ptest/pkg
findmnt -rno TARGET | while read -r m; do
  case "\$m" in
    /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/run|/run/*) ;;
    *) mount -o remount,bind,ro "\$m" ;;
  esac
done
findmnt -no OPTIONS / | grep -qE '(^|,)ro(,|\$)' || { echo "the root is still writable" >&2; exit 1; }
for d in /tmp /var/tmp; do mount -t tmpfs -o mode=1777 tmpfs "\$d"; done
for d in /var/lib /var/log /var/cache /home /srv /root; do [ -d "\$d" ] && mount -t tmpfs -o mode=755 tmpfs "\$d"; done
cp /etc/passwd /run/p2ptest/passwd && cp /etc/group /run/p2ptest/group
echo 'p2pnode:x:990:990:p2pnode:/nonexistent:/usr/sbin/nologin' >>/run/p2ptest/passwd
echo 'p2pnode:x:990:' >>/run/p2ptest/group
mount --bind /run/p2ptest/passwd /etc/passwd
mount --bind /run/p2ptest/group /etc/group
ip link set lo up 2>/dev/null || true
sed -e 's|^ExecStart=/usr/bin/p2pnode |ExecStart=/run/p2ptest/pkg/usr/bin/p2pnode |' \\
    -e 's|--config-file /etc/p2pnode/config.ini|--config-file /run/p2ptest/pkg/etc/p2pnode/config.ini|' \\
    /run/p2ptest/pkg/usr/lib/systemd/system/p2pnode.service >/run/systemd/system/p2pnode.service
printf '[Unit]\\nDescription=the package test\\n' >/run/systemd/system/p2ptest.target
echo "init: ok"
exec /lib/systemd/systemd --system --unit=p2ptest.target
EOF
echo "== systemd as PID 1 of new namespaces"
unshare --pid --fork --mount --uts --net --mount-proc bash "$tmp/init.sh" >"$tmp/boot.log" 2>&1 &
unshare_pid=$!
# systemd is the child of unshare (PID 1 inside).
for _ in $(seq 1 50); do
  sd_pid=$(pgrep -P "$unshare_pid" 2>/dev/null | head -1 || true)
  [[ -n $sd_pid ]] && break
  sleep 0.2
done
[[ -n $sd_pid ]] || { cat "$tmp/boot.log" >&2; skip "unshare could not make the namespaces"; }
in_ns() { timeout 60 nsenter -t "$sd_pid" -m -p -u -n "$@"; }
state=
for _ in $(seq 1 60); do
  state=$(in_ns systemctl is-system-running 2>/dev/null || true)
  [[ $state == running || $state == degraded ]] && break
  sleep 0.5
done
if [[ $state != running && $state != degraded ]]; then
  cat "$tmp/boot.log" >&2
  grep -qx "init: ok" "$tmp/boot.log" || { echo "FAIL: the namespace's setup failed" >&2; exit 1; }
  skip "systemd does not boot in namespaces here (state '$state')"
fi
grep -q "/run/p2ptest/pkg/usr/bin/p2pnode --data-dir /var/lib/p2pnode --config-file /run/p2ptest/pkg/etc/p2pnode/config.ini" \
  <(in_ns cat /run/systemd/system/p2pnode.service) || fail "the unit's ExecStart was not rewritten as expected"

show() { in_ns systemctl show p2pnode -P "$1"; }
# wait_for PROPERTY VALUE: up to 30 s.
wait_for() {
  for _ in $(seq 1 60); do
    [[ $(show "$1") == "$2" ]] && return 0
    sleep 0.5
  done
  return 1
}
status_head() { in_ns /run/p2ptest/pkg/usr/bin/p2pctl -d /var/lib/p2pnode status --json 2>/dev/null | grep -o '"head_block_num": *[0-9]*' | grep -o '[0-9]*$'; }
# wait_for_status: up to 30 s for the control socket to answer.
wait_for_status() {
  for _ in $(seq 1 60); do
    status_head >/dev/null && return 0
    sleep 0.5
  done
  return 1
}

echo "== systemctl start p2pnode"
in_ns systemctl start p2pnode || fail "systemctl start p2pnode exits $?"
wait_for ActiveState active || fail "p2pnode is not active: $(show ActiveState) ($(show Result))"
wait_for_status || fail "p2pctl status gets no answer on /var/lib/p2pnode/p2pnode.sock"
head1=$(status_head || true)
echo "head $head1"
pid=$(show MainPID)
proc_status=$(in_ns cat "/proc/$pid/status" 2>/dev/null || true)
uid=$(in_ns id -u p2pnode)
[[ $(awk '/^Uid:/ { print $2 }' <<<"$proc_status") == "$uid" ]] || fail "p2pnode does not run as the p2pnode user"
[[ $(awk '/^NoNewPrivs:/ { print $2 }' <<<"$proc_status") == 1 ]] || fail "NoNewPrivs is not set"
[[ $(awk '/^Seccomp:/ { print $2 }' <<<"$proc_status") == 2 ]] || fail "no system-call filter (Seccomp: 2)"
[[ $(awk '/^CapEff:/ { print $2 }' <<<"$proc_status") == 0000000000000000 ]] || fail "p2pnode has capabilities"
[[ $(in_ns stat -c '%U %a' /var/lib/p2pnode) == "p2pnode 750" ]] || fail "the StateDirectory is not p2pnode's, mode 750"

echo "== kill -9: restarted"
in_ns systemctl kill -s KILL p2pnode
wait_for NRestarts 1 || fail "no restart after kill -9 (NRestarts $(show NRestarts))"
wait_for ActiveState active || fail "not active after the restart: $(show ActiveState)"
wait_for_status || fail "the restarted node does not answer"
[[ $(show MainPID) != "$pid" ]] || fail "the same process after kill -9"

echo "== systemctl stop: a clean SIGTERM exit"
in_ns systemctl stop p2pnode || fail "systemctl stop exits $?"
[[ $(show ActiveState) == inactive ]] || fail "not inactive after stop: $(show ActiveState)"
[[ $(show Result) == success && $(show ExecMainStatus) == 0 ]] ||
  fail "the stop was not clean: Result $(show Result), status $(show ExecMainStatus)"
in_ns journalctl -u p2pnode --no-pager -o cat 2>/dev/null | grep -q "stopped at head" ||
  fail "the journal has no 'stopped at head' line from p2pnode"

echo "== start again: the store reopens"
in_ns systemctl start p2pnode || fail "the second start exits $?"
wait_for ActiveState active && wait_for_status || fail "the second start is not running"
head2=$(status_head || true)
[[ -n $head1 && -n $head2 && $head2 -ge $head1 ]] || fail "head $head2 after the restart, $head1 before"
in_ns systemctl stop p2pnode || true

if [[ $failures -ne 0 ]]; then
  echo "-- the journal:" >&2
  in_ns journalctl -u p2pnode --no-pager 2>/dev/null | tail -30 >&2 || true
  echo "systemd test: $failures failure(s)" >&2
  exit 1
fi
echo "systemd test: the packaged p2pnode ran under systemd as the unit says"
