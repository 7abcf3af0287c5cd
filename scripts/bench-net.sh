#!/usr/bin/env bash
# Benchmarks of the networked node (real p2pnode processes on loopback): sync against offline
# replay, transaction relay over three nodes, block propagation per hop, memory per connection,
# and scale (one relay node, 200 peers, a 1 MB block every 0.5 s for 5 minutes).
# They print figures; they are not tests. --quick runs each in under a minute.
# Usage: scripts/bench-net.sh [--quick] [--help]   (JOBS=N for the build, BUILD_DIR to reuse a tree)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=()
for a in "$@"; do
  case "$a" in
    --quick) quick=(--quick) ;;
    --help|-h) sed -n '2,6s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--quick] [--help]" >&2; exit 2 ;;
  esac
done
build=${BUILD_DIR:-build-bench}
if [[ -z ${SKIP_DEPS:-} ]]; then bash scripts/install-deps.sh; fi
# The benchmarks live under tests/, so P2P_TESTS stays on; only the bench targets are built.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DP2P_TESTS=ON -DP2P_BENCH=ON >/dev/null
benches=(bench_net_sync bench_net_trx bench_net_block bench_net_memory bench_net_scale)
cmake --build "$build" -j"${JOBS:-2}" --target "${benches[@]}" >/dev/null
echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
status=0
for b in "${benches[@]}"; do
  "$build/tests/bench/$b" "${quick[@]}" || { echo "$b failed (exit $?)"; status=1; }
  echo
done
exit $status
