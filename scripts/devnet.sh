#!/usr/bin/env bash
# The main job. Until p2pnode exists (see the open issues) it builds the toolkit and uses
# msgcraft to decode the reference wire vectors and the real nodeos block log, then shows them.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${P2P_SHARED:-$(cd .. && pwd)/shared}
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"${JOBS:-2}" --target msgcraft >/dev/null
msgcraft=build/tools/msgcraft/msgcraft

echo "== every framed message in the golden vectors, decoded as one stream =="
grep -o '"framed_hex": "[0-9a-f]*"' "$shared/protocol/vectors/golden.jsonl" | cut -d'"' -f4 | tr -d '\n' |
  "$msgcraft" decode --input-format hex - |
  awk '{ match($0, /"type":"[a-z_]*"/); t = substr($0, RSTART + 8, RLENGTH - 9); n[t]++ } END { for (t in n) printf "  %-28s %3d frames\n", t, n[t] }' | sort

echo "== blocks of the real nodeos v2 block log (leap unittests/snapshots) =="
log="$shared/protocol/data/leap-blocklog-snapshots/blocks.log"
python3 - "$log" <<'PY' | while read -r hex; do "$msgcraft" decode --type signed_block --hex "$hex"; done | cut -c1-160
import struct, sys
data = open(sys.argv[1], "rb").read()
index = open(sys.argv[1].replace("blocks.log", "blocks.index"), "rb").read()
offs = [struct.unpack_from("<Q", index, i)[0] for i in range(0, len(index), 8)]
ends = [o - 8 for o in offs[1:]] + [len(data) - 8]
for a, b in zip(offs, ends):
    print(data[a:b].hex())
PY
