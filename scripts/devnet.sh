#!/usr/bin/env bash
# The main job. Until p2pnode exists (see the open issues) it builds the toolkit and uses
# msgcraft and blockdump to decode the reference wire vectors and a real nodeos block log.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${P2P_SHARED:-$(cd .. && pwd)/shared}
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"${JOBS:-2}" --target msgcraft blockdump >/dev/null
msgcraft=build/tools/msgcraft/msgcraft

echo "== every framed message in the golden vectors, decoded as one stream =="
grep -o '"framed_hex": *"[0-9a-f]*"' "$shared/protocol/vectors/golden.jsonl" | cut -d'"' -f4 | tr -d '\n' |
  "$msgcraft" decode --input-format hex - |
  awk '{ match($0, /"type":"[a-z_]*"/); t = substr($0, RSTART + 8, RLENGTH - 9); n[t]++ } END { for (t in n) printf "  %-28s %3d frames\n", t, n[t] }' | sort

echo "== the real nodeos v2 block log (leap unittests/snapshots), with blockdump =="
logdir="$shared/protocol/data/leap-blocklog-snapshots"
build/tools/blockdump/blockdump info --blocks-dir "$logdir"
build/tools/blockdump/blockdump print --blocks-dir "$logdir" | cut -c1-160
