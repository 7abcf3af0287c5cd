#!/usr/bin/env bash
# Builds the Debian package from a configured and built release tree (cpack -G DEB), installs it
# with dpkg -i into a scratch root (dpkg --root; the maintainer scripts run with DPKG_ROOT set and
# touch only that root), and checks: every file is in place (programs, gzipped man pages, unit,
# sysusers entry, config.ini as a conffile, bash completions), the dependencies dpkg-shlibdeps
# found, the p2pnode user and the config's mode, the installed p2pnode runs (--help, and the
# config.ini's every default is accepted), the bash completions match --help, systemd-analyze
# verify reports nothing on the unit, and dpkg --purge removes the files. Exits 77 (skipped),
# saying why, when a tool it needs is missing or it is not root.
# Usage: tests/package/package_test.sh BUILD_DIR
set -euo pipefail
if [[ ${1:-} == --help || $# -ne 1 ]]; then
  sed -n '2,10s/^# \{0,1\}//p' "$0"
  [[ ${1:-} == --help ]] && exit 0 || exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "SKIPPED: $*" >&2; exit 77; }
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps systemd-analyze systemd-sysusers gzip; do
  command -v "$tool" >/dev/null || skip "$tool is missing (scripts/install-deps.sh installs it)"
done
[[ $(id -u) -eq 0 ]] || skip "dpkg --root with maintainer scripts needs root"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

echo "== cpack -G DEB"
(cd "$build" && cpack -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
debs=("$tmp"/out/*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || { echo "FAIL: cpack made no single .deb: ${debs[*]}" >&2; exit 1; }
deb=${debs[0]}
pkg=$(dpkg-deb -f "$deb" Package)
echo "$(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 librocksdb libssl libsecp256k1 adduser; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done

echo "== dpkg --root=ROOT -i"
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers" "$root/etc"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
# The root has no packages: the dependencies are forced (dpkg's warnings about them go to a log,
# shown when dpkg fails).
dpkg_root() {
  dpkg --root="$root" --force-script-chrootless --force-depends --log=/dev/null "$@" 2>"$tmp/dpkg.err" ||
    { local code=$?; cat "$tmp/dpkg.err" >&2; return $code; }
  grep -v -e 'dependency problems' -e 'depends on' -e 'is not installed' "$tmp/dpkg.err" >&2 || true
}
dpkg_root -i "$deb" || { echo "FAIL: dpkg -i" >&2; exit 1; }
[[ $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$pkg") == "install ok installed" ]] ||
  fail "$pkg is not installed: $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$pkg")"

programs=(p2pnode p2pctl blockdump msgcraft)
files=(/usr/lib/systemd/system/p2pnode.service /usr/lib/sysusers.d/p2pnode.conf /etc/p2pnode/config.ini)
for p in "${programs[@]}"; do
  files+=("/usr/bin/$p" "/usr/share/man/man1/$p.1.gz" "/usr/share/bash-completion/completions/$p")
done
for f in "${files[@]}"; do
  [[ -f $root$f ]] || fail "$f is not installed"
  grep -qxF "$f" "$root/var/lib/dpkg/info/$pkg.list" || fail "$f is not in the package's file list"
done
for p in "${programs[@]}"; do
  [[ -x $root/usr/bin/$p ]] || fail "/usr/bin/$p is not executable"
  gzip -t "$root/usr/share/man/man1/$p.1.gz" || fail "$p.1.gz is not gzip"
  cmp -s <(gzip -dc "$root/usr/share/man/man1/$p.1.gz") "$here/../../man/$p.1" || fail "$p.1.gz is not man/$p.1"
done
grep -qx '/etc/p2pnode/config.ini' "$root/var/lib/dpkg/info/$pkg.conffiles" 2>/dev/null ||
  fail "/etc/p2pnode/config.ini is not a conffile"
grep -q '^p2pnode:' "$root/etc/passwd" 2>/dev/null || fail "postinst made no p2pnode user in the root"
gid=$(awk -F: '$1 == "p2pnode" { print $3 }' "$root/etc/group" 2>/dev/null || true)
[[ -n $gid && $(stat -c '%g %a' "$root/etc/p2pnode/config.ini") == "$gid 640" ]] ||
  fail "config.ini is not mode 640 group p2pnode: $(stat -c '%G(%g) %a' "$root/etc/p2pnode/config.ini")"
[[ ! -e /var/lib/dpkg/info/$pkg.list ]] || echo "note: $pkg is also installed on this machine (left alone)"

echo "== the installed programs"
out=$("$root/usr/bin/p2pnode" --help) || fail "p2pnode --help exits $?"
[[ $out == *"Usage: p2pnode"* ]] || fail "p2pnode --help prints no usage"
for p in p2pctl blockdump msgcraft; do
  "$root/usr/bin/$p" --help >/dev/null || fail "$p --help exits $?"
done
# The example config.ini: every option p2pnode has, and every default it lists is accepted.
ini=$root/etc/p2pnode/config.ini
for opt in $("$root/usr/bin/p2pnode" --help | awk '/^  -/ { print $1 }' | tr ',' '\n' | sed -n 's/^--//p'); do
  case $opt in help | version | data-dir | config-file | print-default-config) continue ;; esac
  grep -qE "^# $opt =( |\$)" "$ini" || fail "config.ini lacks $opt"
done
sed -n 's/^# \([a-z0-9-]* = .\)/\1/p' "$ini" >"$tmp/defaults.ini"
[[ -s $tmp/defaults.ini ]] || fail "config.ini lists no default"
# --genesis-json fails after the whole config is parsed and checked: exit 2 naming it means
# every default was accepted.
set +e
err=$("$root/usr/bin/p2pnode" --data-dir "$tmp/data" --config-file "$tmp/defaults.ini" \
      --genesis-json "$tmp/none.json" 2>&1 >/dev/null)
code=$?
set -e
[[ $code -eq 2 && $err == "p2pnode: --genesis-json $tmp/none.json: "* ]] ||
  fail "p2pnode rejects the config.ini's defaults (exit $code): $err"
bash "$here/completion_test.sh" "$root/usr/share/bash-completion/completions" "$root/usr/bin" || fail "bash completion"

echo "== systemd-analyze verify"
# The unit as installed, but starting the scratch root's binary (verify checks that it exists);
# MANPATH lets it find the installed man page its Documentation= names.
mkdir -p "$tmp/unit"
sed "s|^ExecStart=/usr/bin/p2pnode |ExecStart=$root/usr/bin/p2pnode |" \
  "$root/usr/lib/systemd/system/p2pnode.service" >"$tmp/unit/p2pnode.service"
grep -q "^ExecStart=$root/usr/bin/p2pnode --data-dir /var/lib/p2pnode --config-file /etc/p2pnode/config.ini\$" \
  "$tmp/unit/p2pnode.service" || fail "the unit's ExecStart is not /usr/bin/p2pnode on /etc/p2pnode/config.ini"
# verify exits 0 on warnings (an unknown key, a bad value): any output is a failure.
report=$(MANPATH=$root/usr/share/man systemd-analyze verify "$tmp/unit/p2pnode.service" 2>&1) ||
  fail "systemd-analyze verify exits $?"
[[ -z $report ]] || fail "systemd-analyze verify: $report"
for key in ProtectSystem=strict ProtectHome=yes NoNewPrivileges=yes PrivateTmp=yes PrivateDevices=yes \
           "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" StateDirectory=p2pnode User=p2pnode \
           Restart=on-failure KillSignal=SIGTERM; do
  grep -qx "$key" "$tmp/unit/p2pnode.service" || fail "the unit lacks $key"
done

echo "== dpkg --purge"
dpkg_root --purge "$pkg" || fail "dpkg --purge"
for f in "${files[@]}"; do
  [[ ! -e $root$f ]] || fail "$f is left after --purge"
done

if ((failures)); then
  echo "$failures package check(s) failed" >&2
  exit 1
fi
echo "package $(basename "$deb"): installed, checked and purged"
