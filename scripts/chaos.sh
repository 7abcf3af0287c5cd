#!/usr/bin/env bash
# Chaos: a network of p2pnodes attacked while it runs. Each node runs in its own Linux network
# namespace, joined by a veth pair to a bridge (in a namespace of its own: the host's network is
# not touched), so every session is real TCP between namespaces. Nodes 1-3 produce (node1
# bootstraps as eosio and hands over to proda, prodb, prodc, as scripts/devnet.sh does); the
# others follow; every node peers with every lower one. For --duration seconds, faults are
# injected at random under --seed: kill -9 and restart of a node; a partition splitting the
# producers (links moved to a second bridge) and healed; a node's store made read-only (a bind
# mount) for a while; a peer flooding junk bytes; slowloris peers sending a byte a second; a node
# restarted with its clock skewed by 1-4 s (p2pnode --clock-offset-ms), and later put right.
# Invariants, checked every second and at the end: no two nodes ever report different LIB blocks
# at one height; no node's LIB goes backwards (across restarts too); every restart opens its
# store; after the faults stop every node converges on one head within 60 s; at the end every
# node stops cleanly, its store verifies (blockdump verify), and no node grew its open files or
# memory beyond bounds against its start. The fault sequence is printed as it goes.
# With --savanna the chain switches to Savanna after the hand-over (p2pctl activate-savanna, as
# scripts/devnet.sh does): nodes 1-5 are finalizers (threshold 4 of 5), the faults run on a
# chain finalised by QCs, and after they stop every node's LIB must also come back within 4
# blocks of its head (finality resumes).
# Usage: scripts/chaos.sh [--duration SECONDS] [--seed N] [--nodes 5-7] [--savanna] [--build DIR]
#                         [--dir DIR] [--keep] [--help]
#   --duration  seconds of faults (default 120); --seed  the random seed (default: from the clock)
#   --build     CMake build tree holding p2pnode, p2pctl, msgcraft, blockdump (default build; built
#               when missing); --dir  where the nodes' data dirs go (default a fresh temporary one,
#               removed unless --keep or a violation)
# Exit: 0 every invariant held; 1 one did not (the seed and the fault sequence that reproduce it
# are printed); 2 usage; 77 skipped: not root, or no network namespaces here.
set -euo pipefail
usage() { sed -n '2,30s/^# \{0,1\}//p' "$0"; }
duration=120 seed= nodes=6 build=build dir= keep=0 savanna=0
while (($#)); do
  case $1 in
    --help | -h) usage; exit 0 ;;
    --duration) duration=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --nodes) nodes=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --dir) dir=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    --savanna) savanna=1; shift ;;
    *) echo "chaos: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $duration =~ ^[0-9]+$ && $nodes =~ ^[5-7]$ ]] || { echo "chaos: --duration takes seconds, --nodes 5 to 7" >&2; exit 2; }
[[ -z $seed || $seed =~ ^[0-9]+$ ]] || { echo "chaos: --seed takes a number" >&2; exit 2; }
seed=${seed:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed

if ((EUID != 0)); then
  echo "chaos: skipped: network namespaces and bind mounts need root (CI runs as root)" >&2
  exit 77
fi
tag=ch$$
if ! ip netns add "$tag-probe" 2>/dev/null; then
  echo "chaos: skipped: cannot create a network namespace here (ip netns add failed)" >&2
  exit 77
fi
ip netns del "$tag-probe"

cd "$(dirname "$0")/.."
source scripts/lib/p2pnode.sh
for t in p2pnode p2pctl msgcraft blockdump; do
  if [[ ! -x $build/tools/$t/$t ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j"${JOBS:-2}" --target p2pnode p2pctl msgcraft blockdump
    break
  fi
done
build=$(cd "$build" && pwd)
p2pnode=$build/tools/p2pnode/p2pnode p2pctl=$build/tools/p2pctl/p2pctl
msgcraft=$build/tools/msgcraft/msgcraft blockdump=$build/tools/blockdump/blockdump
if [[ -z $dir ]]; then dir=$(mktemp -d /tmp/chaos.XXXXXX); else mkdir -p "$dir"; dir=$(cd "$dir" && pwd); fi

faults=()    # the fault sequence, "t+SECONDS what"
violation=
t0=$SECONDS
note() { faults+=("t+$((SECONDS - t0))s $*"); echo "chaos: t+$((SECONDS - t0))s $*"; }
violate() { [[ -n $violation ]] || violation="$*"; echo "chaos: VIOLATION: $*" >&2; }

declare -A pid binds
cleanup() {
  local i m
  for i in "${!pid[@]}"; do kill -9 "${pid[$i]}" 2>/dev/null || true; done
  jobs -p | xargs -r kill 2>/dev/null || true
  for m in "${!binds[@]}"; do umount -l "$m" 2>/dev/null || true; done
  for i in $(seq 1 "$nodes") hub; do ip netns del "$tag-$( [[ $i == hub ]] && echo hub || echo n$i)" 2>/dev/null || true; done
  if ((keep)) || [[ -n $violation ]]; then echo "chaos: data dirs and logs kept in $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the network: a hub namespace with two bridges (br1 holds the side split off) ----
ip netns add "$tag-hub"
for br in br0 br1; do
  ip -n "$tag-hub" link add "$br" type bridge
  ip -n "$tag-hub" link set "$br" up
done
addr() { echo "10.99.0.$1"; }
for i in $(seq 1 "$nodes"); do
  ip netns add "$tag-n$i"
  ip -n "$tag-hub" link add "v$i" type veth peer name eth0 netns "$tag-n$i"
  ip -n "$tag-hub" link set "v$i" master br0 up
  ip -n "$tag-n$i" addr add "$(addr "$i")/24" dev eth0
  ip -n "$tag-n$i" link set eth0 up
  ip -n "$tag-n$i" link set lo up
done
side() { ip -n "$tag-hub" link set "v$1" master "$2"; }

# ---- keys and configs ----
declare -A pub priv
mkdir -p "$dir/keys"
for p in proda prodb prodc; do
  "$msgcraft" key new >"$dir/keys/$p.key"
  priv[$p]=$(sed -n 's/^Private key: *//p' "$dir/keys/$p.key")
  pub[$p]=$(sed -n 's/^Public key: *//p' "$dir/keys/$p.key")
done
# Savanna: a BLS finalizer key for each of nodes 1-5.
declare -A bls_pub bls_priv
finalizers=5
if ((savanna)); then
  for i in $(seq 1 "$finalizers"); do
    "$msgcraft" key bls new >"$dir/keys/n$i.bls"
    bls_priv[$i]=$(sed -n 's/^Private key: *//p' "$dir/keys/n$i.bls")
    bls_pub[$i]=$(sed -n 's/^Public key: *//p' "$dir/keys/n$i.bls")
  done
fi
for i in $(seq 1 "$nodes"); do
  d=$dir/n$i
  mkdir -p "$d"
  {
    echo "p2p-listen-endpoint = $(addr "$i"):9876"
    echo "agent-name = chaos node$i"
    if ((savanna)); then
      echo "project-action-mroots = true" # every producer is p2pnode: its Savanna finality tree
      ((i <= finalizers)) && echo "signature-provider = ${bls_pub[$i]}=KEY:${bls_priv[$i]}"
    fi
    for j in $(seq 1 $((i - 1))); do echo "p2p-peer-address = $(addr "$j"):9876"; done
    producer_config "$i"
  } >"$d/config.ini"
done

# ---- nodes ----
declare -A fd0 rss0 last_lib
start_node() { # node $1, with further p2pnode arguments after it
  local i=$1 n
  shift
  [[ -z ${pid[$i]:-} ]] || return 0
  ip netns exec "$tag-n$i" "$p2pnode" --data-dir "$dir/n$i" "$@" >>"$dir/n$i/p2pnode.log" 2>&1 &
  pid[$i]=$!
  for n in $(seq 1 100); do
    "$p2pctl" -d "$dir/n$i" --json status >/dev/null 2>&1 && break
    if ! kill -0 "${pid[$i]}" 2>/dev/null; then
      violate "node$i did not start (its store did not open?): $(tail -n 3 "$dir/n$i/p2pnode.log" | tr '\n' ' ')"
      unset 'pid[$i]'
      return 1
    fi
    sleep 0.2
  done
  fd0[$i]= rss0[$i]=
}
proc_fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
proc_rss_kb() { sed -n 's/^VmRSS: *\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

declare -A lib_id_at   # height -> the LIB id some node reported there
declare -A head_of
# One look at every node: the LIB invariants, and each node's head.
check_all() {
  local i s lib id
  for i in "${!pid[@]}"; do
    s=$("$p2pctl" -d "$dir/n$i" --timeout 2 --json status 2>/dev/null) || continue
    lib=$(jnum "$s" last_irreversible_block_num)
    id=$(jstr "$s" last_irreversible_block_id)
    head_of[$i]=$(jstr "$s" head_block_id)
    [[ -n $lib && -n $id ]] || continue
    if [[ -n ${last_lib[$i]:-} ]] && ((lib < last_lib[$i])); then
      violate "node$i's LIB went back from ${last_lib[$i]} to $lib"
    fi
    last_lib[$i]=$lib
    if [[ -n ${lib_id_at[$lib]:-} && ${lib_id_at[$lib]} != "$id" ]]; then
      violate "two irreversible blocks at height $lib: ${lib_id_at[$lib]} and $id (node$i)"
    fi
    lib_id_at[$lib]=$id
    if [[ -z ${fd0[$i]} ]] && ((lib > 20)); then # the baseline, once the node is warm
      fd0[$i]=$(proc_fds "${pid[$i]}")
      rss0[$i]=$(proc_rss_kb "${pid[$i]}")
    fi
  done
}

for i in $(seq 1 "$nodes"); do start_node "$i"; done
note "seed $seed: $nodes nodes up (node1-3 produce), $duration s of faults"
# Warm up: the hand-over to proda, prodb, prodc, and a LIB above 20 everywhere.
warm_until=$((SECONDS + 120))
while ((SECONDS < warm_until)); do
  check_all
  ready=1
  for i in $(seq 1 "$nodes"); do ((${last_lib[$i]:-0} > 20)) || ready=0; done
  ((ready)) && break
  sleep 1
done
((ready)) || violate "the network did not reach a LIB above 20 on every node within 120 s"

# lib_close: every running node reports Savanna and a LIB within 4 blocks of its head.
lib_close() {
  local i s
  for i in $(seq 1 "$nodes"); do
    [[ -n ${pid[$i]:-} ]] || return 1
    s=$("$p2pctl" -d "$dir/n$i" --timeout 2 --json status 2>/dev/null) || return 1
    [[ $(jstr "$s" consensus) == savanna && $(jnum "$s" lib_lag_blocks) -le 4 ]] || return 1
  done
}
if ((savanna)) && [[ -z $violation ]]; then
  # The hand-over is done (LIB above 20 everywhere): the producers' next block switches.
  finalizer_args=()
  for i in $(seq 1 "$finalizers"); do finalizer_args+=("node$i=${bls_pub[$i]}"); done
  on_until=$((SECONDS + 120)) asked_at=-10
  until lib_close; do
    ((SECONDS < on_until)) || { violate "Savanna did not start finalising on every node within 120 s"; break; }
    # Asked again every 10 s until node1 is on Savanna (a producer refuses before the hand-over).
    if ((SECONDS >= asked_at + 10)) && [[ $(jstr "$("$p2pctl" -d "$dir/n1" --json status 2>/dev/null)" consensus) != savanna ]]; then
      for i in 1 2 3; do "$p2pctl" -d "$dir/n$i" activate-savanna "${finalizer_args[@]}" >/dev/null 2>&1 || true; done
      asked_at=$SECONDS
    fi
    check_all
    sleep 1
  done
  [[ -n $violation ]] || note "Savanna on: finalizers node1-node$finalizers (threshold 4), every LIB within 4 blocks of its head"
fi

# ---- faults ----
junk() { # node $1 floods node $2 with random bytes
  ip netns exec "$tag-n$1" timeout 10 bash -c "head -c 1048576 /dev/urandom >/dev/tcp/$(addr "$2")/9876" 2>/dev/null &
}
slowloris() { # node $1 opens 10 connections to node $2, a byte a second each, for 15 s
  local k
  for k in $(seq 1 10); do
    ip netns exec "$tag-n$1" timeout 20 bash -c "exec 3<>/dev/tcp/$(addr "$2")/9876 || exit 0
      for s in \$(seq 1 15); do printf x >&3 || exit 0; sleep 1; done" 2>/dev/null &
  done
}
pick() { echo $((RANDOM % nodes + 1)); }
other() { local j; j=$(pick); while ((j == $1)); do j=$(pick); done; echo "$j"; }
declare -A undo_at   # what to undo -> when (SECONDS)
partitioned=0
counts_kill=0 counts_part=0 counts_ro=0 counts_junk=0 counts_slow=0 counts_skew=0
stop_node() { # SIGTERM: a clean stop is itself checked
  local rc=0
  [[ -n ${pid[$1]:-} ]] || return 0
  kill -TERM "${pid[$1]}"
  wait "${pid[$1]}" || rc=$?
  unset 'pid[$1]'
  ((rc == 0)) || violate "node$1 exited $rc on SIGTERM"
}
fault_end=$((SECONDS + duration))
next_fault=$SECONDS
while ((SECONDS < fault_end)) && [[ -z $violation ]]; do
  check_all
  for u in "${!undo_at[@]}"; do
    ((SECONDS >= undo_at[$u])) || continue
    unset 'undo_at[$u]'
    case $u in
      heal) for i in $(seq 1 "$nodes"); do side "$i" br0; done; partitioned=0; note "partition healed" ;;
      ro:*) i=${u#ro:}; umount "$dir/n$i/chain"; unset 'binds[$dir/n$i/chain]'; note "node$i's store writable again" ;;
      start:*) i=${u#start:}; start_node "$i" && note "node$i restarted" ;;
      unskew:*) i=${u#unskew:}; stop_node "$i"; start_node "$i" && note "node$i's clock put right" ;;
    esac
  done
  if ((SECONDS >= next_fault)); then
    next_fault=$((SECONDS + 4 + RANDOM % 5))
    i=$(pick)
    case $((RANDOM % 6)) in
      0)
        if [[ -n ${pid[$i]:-} && -z ${binds[$dir/n$i/chain]:-} ]]; then
          kill -9 "${pid[$i]}"; wait "${pid[$i]}" 2>/dev/null || true; unset 'pid[$i]'
          undo_at[start:$i]=$((SECONDS + 1 + RANDOM % 4)); ((++counts_kill)); note "kill -9 node$i"
        fi ;;
      1)
        if ((!partitioned)); then
          # node1 (proda) and one other producer on one side with some followers.
          b=$((RANDOM % 2 + 2)) group="1 $b"
          for j in $(seq 4 "$nodes"); do ((RANDOM % 2)) && group+=" $j"; done
          for j in $group; do side "$j" br1; done
          partitioned=1; undo_at[heal]=$((SECONDS + 5 + RANDOM % 8)); ((++counts_part))
          note "partition: {$group} apart from the rest"
        fi ;;
      2)
        m=$dir/n$i/chain
        if [[ -n ${pid[$i]:-} && -z ${binds[$m]:-} ]]; then
          mount --bind "$m" "$m" && mount -o remount,bind,ro "$m"
          binds[$m]=1; undo_at[ro:$i]=$((SECONDS + 4 + RANDOM % 6)); ((++counts_ro)); note "node$i's store read-only"
        fi ;;
      3) j=$(other "$i"); junk "$i" "$j"; ((++counts_junk)); note "node$i floods node$j with junk" ;;
      4) j=$(other "$i"); slowloris "$i" "$j"; ((++counts_slow)); note "node$i: 10 slowloris connections to node$j" ;;
      5)
        if [[ -n ${pid[$i]:-} && -z ${binds[$dir/n$i/chain]:-} && -z ${undo_at[unskew:$i]:-} ]]; then
          ms=$(( (RANDOM % 2 ? 1 : -1) * (1000 + RANDOM % 3001) ))
          stop_node "$i"
          start_node "$i" --clock-offset-ms "$ms" || true
          undo_at[unskew:$i]=$((SECONDS + 6 + RANDOM % 6)); ((++counts_skew)); note "node$i restarted with its clock off by $ms ms"
        fi ;;
    esac
  fi
  sleep 1
done

# ---- the faults stop: heal, restart, converge ----
for u in "${!undo_at[@]}"; do
  case $u in
    heal) for i in $(seq 1 "$nodes"); do side "$i" br0; done ;;
    ro:*) i=${u#ro:}; umount "$dir/n$i/chain"; unset 'binds[$dir/n$i/chain]' ;;
    start:*) i=${u#start:}; start_node "$i" || true ;;
    unskew:*) i=${u#unskew:}; stop_node "$i"; start_node "$i" || true ;;
  esac
done
undo_at=()
note "faults stopped (kill -9: $counts_kill, partitions: $counts_part, read-only stores: $counts_ro, junk floods: $counts_junk, slowloris: $counts_slow, skewed clocks: $counts_skew)"
converged=0
heal_done=$SECONDS
# Every node's head, asked of all at once: asked one after another, a busy machine takes longer
# than a block interval over the round, and a moving chain would never look converged.
heads_at_once() {
  local i asked=()
  for i in $(seq 1 "$nodes"); do
    rm -f "$dir/n$i/status.now"
    [[ -n ${pid[$i]:-} ]] || continue
    ("$p2pctl" -d "$dir/n$i" --timeout 2 --json status 2>/dev/null >"$dir/n$i/status.now" || :) &
    asked+=($!)
  done
  ((${#asked[@]} == 0)) || wait "${asked[@]}" # not a bare wait: the nodes are children too
  for i in $(seq 1 "$nodes"); do head_of[$i]=$(jstr "$(cat "$dir/n$i/status.now" 2>/dev/null)" head_block_id); done
}
while ((SECONDS < heal_done + 60)); do
  check_all
  heads_at_once
  first= same=1
  for i in $(seq 1 "$nodes"); do
    h=${head_of[$i]:-}
    [[ -n ${pid[$i]:-} && -n $h ]] || { same=0; break; }
    [[ -z $first ]] && first=$h
    [[ $h == "$first" ]] || same=0
  done
  ((same)) && { converged=1; break; }
  sleep 0.2
done
((converged)) || violate "the nodes did not converge on one head within 60 s of the faults stopping"
[[ -n $violation ]] || note "converged on head $first, $((SECONDS - heal_done)) s after the faults stopped"
if ((savanna)) && [[ -z $violation ]]; then
  until lib_close; do
    ((SECONDS < heal_done + 60)) || { violate "finality did not resume (a LIB within 4 blocks of its head) within 60 s of the faults stopping"; break; }
    check_all
    sleep 0.5
  done
  [[ -n $violation ]] || note "finality resumed: every LIB within 4 blocks of its head, $((SECONDS - heal_done)) s after the faults stopped"
fi

# ---- leaks, clean stops, stores ----
for i in $(seq 1 "$nodes"); do
  p=${pid[$i]:-}
  [[ -n $p && -n ${fd0[$i]:-} ]] || continue
  fds=$(proc_fds "$p") rss=$(proc_rss_kb "$p")
  ((fds <= fd0[$i] + 16)) || violate "node$i holds $fds files, ${fd0[$i]} at its start"
  ((rss <= 2 * rss0[$i] + 65536)) || violate "node$i's RSS grew from ${rss0[$i]} kB to $rss kB"
done
for i in $(seq 1 "$nodes"); do
  [[ -n ${pid[$i]:-} ]] || continue
  kill -TERM "${pid[$i]}"
  rc=0; wait "${pid[$i]}" || rc=$?
  unset 'pid[$i]'
  ((rc == 0)) || violate "node$i exited $rc on SIGTERM"
  out=$("$blockdump" verify -d "$dir/n$i" 2>&1) || violate "node$i's store does not verify: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
done

if [[ -n $violation ]]; then
  echo "chaos: FAILED: $violation" >&2
  echo "chaos: reproduce with: scripts/chaos.sh --duration $duration --seed $seed --nodes $nodes$( ((savanna)) && echo " --savanna")" >&2
  echo "chaos: the fault sequence:" >&2
  printf '  %s\n' "${faults[@]}" >&2
  exit 1
fi
echo "chaos: every invariant held over $duration s (seed $seed$( ((savanna)) && echo ", Savanna")): nothing lost"
