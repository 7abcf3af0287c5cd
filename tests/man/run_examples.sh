#!/usr/bin/env bash
# Runs the EXAMPLES section of a man page as a test (CTest man_examples_<page>): every command
# shown must exit 0 (each command of a pipeline too), and where the page shows what a command
# prints (the lines after a "$ " command, up to the next one), it must print exactly that.
# Usage: tests/man/run_examples.sh PAGE.1 BUILD_DIR FIXTURE_BIN
#
# Reading the page: the .EX/.EE and .nf/.fi blocks of its EXAMPLES section, roff escapes undone
# (\- is -, \e is \, \(aq is '). In a block with "$ " prompts each prompt starts a command, in
# one without every line is a command; a line ending in \ or | continues on the next.
# Running it: one bash (-e -o pipefail) per command, in a scratch HOME that is also the working
# directory, with the tools of BUILD_DIR first in PATH, and these stand-ins for what the
# examples assume:
#   ~/node1               a running p2pnode of the devnet chain producing as eosio, listening on
#                         the port that stands for 127.0.0.1:9876
#   ~/nodeos/data/blocks  a nodeos blocks.log and blocks.index of that chain
#   capture.bin block.bin genesis.json dev.key trx.json transfer.json   in the working directory
#   finalizer.key (Spring's test BLS key), session.pcap (capture.bin and a go_away, as text2pcap
#   wraps them in one TCP stream to port 9876)
#   PUB_A PRIV_A PUB_B PRIV_B PUB_C PRIV_C                              key pairs (msgcraft key new)
# 127.0.0.1:9876 and 127.0.0.1:9877 are replaced by free ports. A page whose examples start
# p2pnode themselves gets no fixture node; each p2pnode command is started in the background
# and the next command runs once its control socket answers. Exit 1 names the failing example.
set -euo pipefail
if [[ ${1:-} == --help || $# -ne 3 ]]; then
  sed -n '2,24s/^# \{0,1\}//p' "$0"
  [[ ${1:-} == --help ]] && exit 0 || exit 2
fi
page=$(realpath "$1") build=$(realpath "$2") fixture=$(realpath "$3")
name=$(basename "$page")
export PATH="$build/tools/msgcraft:$build/tools/p2pctl:$build/tools/blockdump:$build/tools/p2pnode:$PATH"
export HOME
HOME=$(mktemp -d "${TMPDIR:-/tmp}/man-examples-${name%.1}-XXXXXX")
cd "$HOME"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$HOME"
}
trap cleanup EXIT
say() { echo "man examples $name: $*" >&2; }

# ---- the examples: one file per command (cmd.N) and, where shown, its output (out.N) --------
mkdir -p .examples
awk '
  /^\.SH / { in_ex = ($0 ~ /^\.SH EXAMPLES/); next }
  !in_ex { next }
  /^\.(EX|nf)/ { in_block = 1; print "B"; next }
  /^\.(EE|fi)/ { in_block = 0; next }
  !in_block || /^\./ { next }
  { print "L" $0 }
' "$page" | sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\&//g' -e 's/\\e/\\/g' >.examples/lines
n=0
prompt_block=0
continued=0
block=()
flush_block() {
  local line
  ((${#block[@]})) || return 0
  prompt_block=0
  for line in "${block[@]}"; do [[ $line == '$ '* ]] && prompt_block=1; done
  continued=0
  for line in "${block[@]}"; do
    if ((continued)); then
      printf '%s\n' "$line" >>".examples/cmd.$n"
    elif ((prompt_block)) && [[ $line != '$ '* ]]; then
      printf '%s\n' "$line" >>".examples/out.$n"
      continue
    else
      n=$((n + 1))
      printf '%s\n' "${line#\$ }" >".examples/cmd.$n"
    fi
    [[ $line =~ (\\|\|)[[:space:]]*$ ]] && continued=1 || continued=0
  done
  block=()
}
while IFS= read -r rec; do
  if [[ $rec == B ]]; then
    flush_block
  else
    block+=("${rec#L}")
  fi
done <.examples/lines
flush_block
((n > 0)) || { say "no examples found"; exit 1; }

# ---- the stand-ins ---------------------------------------------------------------------------
mapfile -t ports < <("$fixture" ports 2)
p1=${ports[0]} p2=${ports[1]}
for p in A B C; do
  keys=$(msgcraft key new)
  declare -x "PUB_$p=$(sed -n 's/^Public key: *//p' <<<"$keys")" "PRIV_$p=$(sed -n 's/^Private key: *//p' <<<"$keys")"
done
dev_pub=EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV
dev_priv=5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3
echo "$dev_priv" >dev.key
echo PVT_BLS_vh0bYgBLOLxs_h9zvYNtj20yj8UJxWeFFAtDUW2_pG44e5yc >finalizer.key
"$fixture" genesis genesis.json

# Waits (up to 30 s) until p2pctl -d $1 answers status and jq filter $2 holds for it.
wait_node() {
  local i
  for ((i = 0; i < 300; i++)); do
    if p2pctl -d "$1" --json status 2>/dev/null | jq -e "$2" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  say "the node in $1 did not get to $2; its log:"
  tail -n 20 "$1.log" >&2 || true
  return 1
}

if ! grep -q '^p2pnode ' .examples/cmd.*; then
  p2pnode -d node1 --p2p-listen-endpoint "127.0.0.1:$p1" --producer-name eosio \
    --signature-provider "$dev_pub=KEY:$dev_priv" --enable-stale-production >node1.log 2>&1 &
  pids+=($!)
  wait_node node1 '.last_irreversible_block_num >= 12'
  mkdir -p nodeos/data
  blockdump export --data-dir node1 --output-dir nodeos/data/blocks >/dev/null
  status=$(p2pctl -d node1 --json status)
  chain=$(jq -r .chain_id <<<"$status") head=$(jq -r .head_block_num <<<"$status") id=$(jq -r .head_block_id <<<"$status")
  "$fixture" transfer "$chain" "$head" "$id" "man page example 1" trx.json
  "$fixture" transfer "$chain" "$head" "$id" "man page example 2" transfer.json
  blockdump print --blocks-dir nodeos/data/blocks --first 2 --last 2 | msgcraft encode --type signed_block --binary >block.bin
  {
    msgcraft encode --framed --binary '{"start_block":1,"end_block":100}' --type sync_request
    blockdump print --blocks-dir nodeos/data/blocks --first 3 --last 3 | msgcraft encode --type signed_block --framed --binary
  } >capture.bin
  {
    cat capture.bin
    msgcraft encode --framed --binary --type go_away '{"reason":"wrong_chain","node_id":"'"$(printf '0%.0s' {1..64})"'"}'
  } | od -Ax -tx1 -v | text2pcap -q -T 40000,9876 - session.pcap
fi

# ---- run them --------------------------------------------------------------------------------
failed=0
for ((i = 1; i <= n; i++)); do
  cmd=$(sed -e "s/127\.0\.0\.1:9876/127.0.0.1:$p1/g" -e "s/127\.0\.0\.1:9877/127.0.0.1:$p2/g" ".examples/cmd.$i")
  shown=$(cat ".examples/cmd.$i")
  if [[ $cmd == p2pnode\ * ]]; then
    dir=$(sed -n 's/^p2pnode \(-d\|--data-dir\) \([^ ]*\).*/\2/p' <<<"$cmd" | head -n 1)
    bash -c "$cmd" >"$dir.log" 2>&1 &
    pids+=($!)
    wait_node "$dir" '.head_block_num >= 1' || { say "example $i failed: $shown"; failed=1; }
    continue
  fi
  if ! out=$(bash -c "set -eo pipefail; $cmd" 2>.examples/err); then
    say "example $i failed: $shown"
    cat .examples/err >&2
    failed=1
    continue
  fi
  if [[ -f .examples/out.$i ]] && [[ $out != "$(cat ".examples/out.$i")" ]]; then
    say "example $i printed something else: $shown"
    printf 'expected:\n%s\ngot:\n%s\n' "$(cat ".examples/out.$i")" "$out" >&2
    failed=1
  fi
done
((failed)) && exit 1
echo "man examples $name: $n examples ran as shown"
