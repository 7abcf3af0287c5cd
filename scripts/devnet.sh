#!/usr/bin/env bash
# The main job: a local network of three p2pnodes on loopback.
#   node1 produces eosio (the bootstrap producer, dev key) and proda, and proposes the schedule
#         proda,prodb,prodc; node2 produces prodb and peers node1; node3 produces prodc and peers
#         node1 and node2. Each node is also a finalizer, with its own BLS key.
# The chain starts on legacy DPoS. Once the hand-over to proda, prodb, prodc is done, the script
# asks the producers (p2pctl activate-savanna) to switch to Savanna with the three nodes as
# finalizers: the next block produced is the Savanna genesis carrying that finalizer policy.
# From then on the nodes vote, QCs finalise blocks, and the LIB lag falls from DPoS's hundreds
# of blocks to 2-3.
# Prints a status table every few seconds until Ctrl-C (the nodes are stopped with SIGTERM):
# head, LIB, LIB lag (blocks), producer, sched (the active schedule version: 0 while eosio
# produces alone, 1 after the hand-over), cons (dpos or savanna), QC (the newest QC the head
# claims: block and s(trong) or w(eak)), votes out/in, sync state and peers.
# Usage: scripts/devnet.sh [--help]
# Environment: DEVNET_DIR (default devnet), DEVNET_PORT (first p2p port, default 9876),
# DEVNET_INTERVAL (seconds between tables, default 3), DEVNET_SECONDS (stop by itself after N
# seconds and exit non-zero unless the three nodes agree on a LIB block above 1 and, once
# Savanna is on, every LIB is within 4 blocks of its head), DEVNET_BUILD (CMake build tree,
# default build), DEVNET_SAVANNA (0: stay on DPoS; default 1), JOBS.
set -euo pipefail
if [[ ${1:-} == --help || ${1:-} == -h ]]; then
  sed -n '2,25s/^# \{0,1\}//p' "$0"
  exit 0
elif (($#)); then
  echo "usage: $0 [--help]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
source scripts/lib/p2pnode.sh
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
savanna=${DEVNET_SAVANNA:-1}

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
# One BLS finalizer key per node, kept the same way.
declare -A bls_pub bls_priv
for n in 1 2 3; do
  f=$dir/keys/node$n.bls
  [ -s "$f" ] || "$msgcraft" key bls new >"$f"
  bls_priv[$n]=$(sed -n 's/^Private key: *//p' "$f")
  bls_pub[$n]=$(sed -n 's/^Public key: *//p' "$f")
  if [ -z "${bls_priv[$n]}" ] || [ -z "${bls_pub[$n]}" ]; then
    echo "devnet: $f does not hold a BLS key pair (msgcraft key bls new output)" >&2
    exit 1
  fi
done
chmod 600 "$dir"/keys/*.key "$dir"/keys/*.bls

port() { echo $((base + $1 - 1)); }

# config.ini of node N: listen port, peers, producers. Rewritten at every start.
write_config() {
  local n=$1 d=$dir/node$1 j
  mkdir -p "$d"
  {
    echo "# written by scripts/devnet.sh"
    echo "p2p-listen-endpoint = 127.0.0.1:$(port "$n")"
    echo "agent-name = devnet node$n"
    # the three nodes all connect from 127.0.0.1; the default (1 per host) would refuse two of them
    echo "p2p-max-nodes-per-host = 10"
    # every producer here is p2pnode: Savanna blocks carry the project's finality tree
    echo "project-action-mroots = true"
    echo "signature-provider = ${bls_pub[$n]}=KEY:${bls_priv[$n]}"
    producer_config "$n"
    # every node peers with every lower one
    for ((j = 1; j < n; j++)); do echo "p2p-peer-address = 127.0.0.1:$(port "$j")"; done
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

table() {
  printf '%-6s %8s %8s %5s %-8s %5s %-7s %-10s %11s %-13s %5s\n' node head LIB lag producer sched cons QC \
    votes_o/i sync_state peers
  local n s qc
  for n in 1 2 3; do
    if s=$("$p2pctl" --data-dir "$dir/node$n" --json status 2>/dev/null); then
      qc=$(jnum "$s" last_qc_block_num)
      [ -n "$qc" ] && qc="$qc/$(jstr "$s" last_qc | cut -c1)" || qc=-
      printf '%-6s %8s %8s %5s %-8s %5s %-7s %-10s %11s %-13s %5s\n' "node$n" "$(jnum "$s" head_block_num)" \
        "$(jnum "$s" last_irreversible_block_num)" "$(jnum "$s" lib_lag_blocks)" "$(jstr "$s" head_block_producer)" \
        "$(jnum "$s" active_schedule_version)" "$(jstr "$s" consensus)" "$qc" \
        "$(jnum "$s" votes_sent)/$(jnum "$s" votes_received)" "$(jstr "$s" sync_state)" "$(jnum "$s" peer_count)"
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

# Once every node runs the three-producer schedule, ask the producing nodes to switch to Savanna
# at their next block (the first to produce makes the Savanna genesis; the others then find the
# chain already Savanna). Already Savanna after a restart: nothing to do.
savanna_asked=0
maybe_activate_savanna() {
  ((savanna && !savanna_asked)) || return 0
  local n s
  for n in 1 2 3; do
    s=$("$p2pctl" --data-dir "$dir/node$n" --json status 2>/dev/null) || return 0
    if [ "$(jstr "$s" consensus)" = savanna ]; then savanna_asked=1; return 0; fi
    [ "$(jnum "$s" active_schedule_version)" = 1 ] || return 0
  done
  echo "devnet: hand-over done; switching to Savanna with finalizers node1, node2, node3"
  for n in 1 2 3; do
    "$p2pctl" --data-dir "$dir/node$n" activate-savanna \
      node1="${bls_pub[1]}" node2="${bls_pub[2]}" node3="${bls_pub[3]}" >/dev/null 2>&1 || true
  done
  savanna_asked=1
}

# Once Savanna is on: every node's LIB within 4 blocks of its head.
lib_close() {
  local n s
  for n in 1 2 3; do
    s=$("$p2pctl" --data-dir "$dir/node$n" --json status 2>/dev/null) || return 1
    [ "$(jstr "$s" consensus)" = savanna ] || return 0
    if [ "$(jnum "$s" lib_lag_blocks)" -gt 4 ]; then
      echo "devnet: node$n's LIB is $(jnum "$s" lib_lag_blocks) blocks behind its head" >&2
      return 1
    fi
  done
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
  maybe_activate_savanna
  echo "== $(date +%T) =="
  table
  if [ -n "$seconds" ] && ((SECONDS - start >= seconds)); then
    rc=0
    lib_agreed || { echo "devnet: the nodes did not agree on a LIB above 1 within ${seconds}s" >&2; rc=1; }
    lib_close || rc=1
    stop_nodes
    exit "$rc"
  fi
done
