#!/usr/bin/env bash
# The main job: a local network of three p2pnodes on loopback.
#   node1 produces eosio (the bootstrap producer, dev key) and proda, and proposes the schedule
#         proda,prodb,prodc; node2 produces prodb and peers node1; node3 produces prodc and peers
#         node1 and node2.
# Prints a status table every few seconds until Ctrl-C (the nodes are stopped with SIGTERM).
# The table's sched column is the active producer schedule's version: 0 while eosio produces
# alone, 1 once the hand-over to proda, prodb, prodc is done (each node logs both steps).
# Usage: scripts/devnet.sh [--help]
# Environment: DEVNET_DIR (default devnet), DEVNET_PORT (first p2p port, default 9876),
# DEVNET_INTERVAL (seconds between tables, default 3), DEVNET_SECONDS (stop by itself after N
# seconds and exit non-zero unless the three nodes agree on a LIB block above 1), DEVNET_BUILD
# (CMake build tree, default build), JOBS.
set -euo pipefail
if [[ ${1:-} == --help || ${1:-} == -h ]]; then
  sed -n '2,16s/^# \{0,1\}//p' "$0"
  exit 0
elif (($#)); then
  echo "usage: $0 [--help]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${DEVNET_BUILD:-build}
echo "devnet: configuring and building p2pnode, p2pctl and msgcraft in $build (a first build takes about 10 minutes)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target p2pnode p2pctl msgcraft
build=$(cd "$build" && pwd)
p2pnode=$build/tools/p2pnode/p2pnode
p2pctl=$build/tools/p2pctl/p2pctl
msgcraft=$build/tools/msgcraft/msgcraft

dir=${DEVNET_DIR:-devnet}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
base=${DEVNET_PORT:-9876}
interval=${DEVNET_INTERVAL:-3}
seconds=${DEVNET_SECONDS:-}
dev_pub=EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV
dev_priv=5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3

# One K1 key per producer, kept in the folder so a restart reuses them (and the chain stays valid).
mkdir -p "$dir/keys"
declare -A pub priv
for p in proda prodb prodc; do
  f=$dir/keys/$p.key
  [ -s "$f" ] || "$msgcraft" key new >"$f"
  priv[$p]=$(sed -n 's/^Private key: *//p' "$f")
  pub[$p]=$(sed -n 's/^Public key: *//p' "$f")
  if [ -z "${priv[$p]}" ] || [ -z "${pub[$p]}" ]; then
    echo "devnet: $f does not hold a key pair (msgcraft key new output)" >&2
    exit 1
  fi
done
chmod 600 "$dir"/keys/*.key

port() { echo $((base + $1 - 1)); }

# config.ini of node N: listen port, peers, producers. Rewritten at every start.
write_config() {
  local n=$1 d=$dir/node$1
  mkdir -p "$d"
  {
    echo "# written by scripts/devnet.sh"
    echo "p2p-listen-endpoint = 127.0.0.1:$(port "$n")"
    echo "agent-name = devnet node$n"
    # the three nodes all connect from 127.0.0.1; the default (1 per host) would refuse two of them
    echo "p2p-max-nodes-per-host = 10"
    case $n in
      1)
        echo "producer-name = eosio"
        echo "producer-name = proda"
        echo "signature-provider = $dev_pub=KEY:$dev_priv"
        echo "signature-provider = ${pub[proda]}=KEY:${priv[proda]}"
        echo "enable-stale-production = true"
        for p in proda prodb prodc; do echo "producer-schedule = $p=${pub[$p]}"; done
        ;;
      2)
        echo "producer-name = prodb"
        echo "signature-provider = ${pub[prodb]}=KEY:${priv[prodb]}"
        echo "p2p-peer-address = 127.0.0.1:$(port 1)"
        ;;
      3)
        echo "producer-name = prodc"
        echo "signature-provider = ${pub[prodc]}=KEY:${priv[prodc]}"
        echo "p2p-peer-address = 127.0.0.1:$(port 1)"
        echo "p2p-peer-address = 127.0.0.1:$(port 2)"
        ;;
    esac
  } >"$d/config.ini"
  chmod 600 "$d/config.ini"
}

pids=()
stop_nodes() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
on_signal() {
  echo
  echo "devnet: stopping the nodes"
  stop_nodes
  exit 0
}
trap on_signal INT TERM

for n in 1 2 3; do
  write_config "$n"
  "$p2pnode" --data-dir "$dir/node$n" >>"$dir/node$n/p2pnode.log" 2>&1 &
  pids+=($!)
done
echo "devnet: nodes on 127.0.0.1:$(port 1)-$(port 3), data and logs in $dir/node{1,2,3}"

# Fields of a one-line JSON object, without needing jq.
jnum() { sed -n "s/.*\"$2\":\"\{0,1\}\([0-9]*\).*/\1/p" <<<"$1"; }
jstr() { sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p" <<<"$1"; }

table() {
  printf '%-6s %8s %8s %-10s %5s %-13s %5s\n' node head LIB producer sched sync_state peers
  local n s
  for n in 1 2 3; do
    if s=$("$p2pctl" --data-dir "$dir/node$n" --json status 2>/dev/null); then
      printf '%-6s %8s %8s %-10s %5s %-13s %5s\n' "node$n" "$(jnum "$s" head_block_num)" \
        "$(jnum "$s" last_irreversible_block_num)" "$(jstr "$s" head_block_producer)" \
        "$(jnum "$s" active_schedule_version)" "$(jstr "$s" sync_state)" "$(jnum "$s" peer_count)"
    else
      printf '%-6s %s\n' "node$n" "(not answering; see $dir/node$n/p2pnode.log)"
    fi
  done
}

# The three nodes agree on a LIB above 1: the same block at the lowest LIB among them.
lib_agreed() {
  local n s lib min= first= b
  for n in 1 2 3; do
    s=$("$p2pctl" --data-dir "$dir/node$n" --json status 2>/dev/null) || return 1
    lib=$(jnum "$s" last_irreversible_block_num)
    [ -n "$lib" ] || return 1
    if [ -z "$min" ] || [ "$lib" -lt "$min" ]; then min=$lib; fi
  done
  [ "$min" -gt 1 ] || return 1
  for n in 1 2 3; do
    b=$("$p2pctl" --data-dir "$dir/node$n" --json block "$min" 2>/dev/null) || return 1
    if [ -z "$first" ]; then first=$b; elif [ "$b" != "$first" ]; then return 1; fi
  done
  echo "devnet: the three nodes agree on LIB block $min"
}

start=$SECONDS
while :; do
  sleep "$interval" &
  wait $! || true
  for i in 0 1 2; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "devnet: node$((i + 1)) exited; last lines of its log:" >&2
      tail -n 20 "$dir/node$((i + 1))/p2pnode.log" >&2
      stop_nodes
      exit 1
    fi
  done
  echo "== $(date +%T) =="
  table
  if [ -n "$seconds" ] && ((SECONDS - start >= seconds)); then
    rc=0
    lib_agreed || { echo "devnet: the nodes did not agree on a LIB above 1 within ${seconds}s" >&2; rc=1; }
    stop_nodes
    exit "$rc"
  fi
done
