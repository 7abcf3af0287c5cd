#!/usr/bin/env bash
# Long fuzzing campaign: every libFuzzer target of tests/fuzz, under ASan+UBSan, for at least
# --runs executions or --seconds, whichever comes first (default 10,000,000 or 3,600 s per
# target), starting from the generated seeds, the kept corpus in tests/fuzz/corpus/<target> and
# the inputs of fixed findings in tests/fuzz/regressions/<target>.
# Afterwards each kept corpus is replaced by the minimised merge of itself and what the run found
# (libFuzzer -merge=1), so the corpora that grow are kept in the repository as regression seeds
# (the fuzz_smoke_* tests start from them).
#
# Usage: scripts/fuzz-long.sh [--runs N] [--seconds S] [--build DIR] [--out DIR] [--remaining] [TARGET...]
#   TARGET: a target name without fuzz_ (frame_decoder, engine, bls_point, ...); default all.
#   --build: the sanitizer+fuzz build (default build-san, configured here as scripts/test.sh does).
#   --out:   where logs and findings go (default fuzz-long-out).
#   --remaining: only the targets without a clean line in the campaign record yet (none, or findings).
# Prints one line per target: executions, coverage (edges), features, corpus size before and
# after, findings (timeouts that do not reproduce are counted apart, and the run goes on).
# Exit 0 when no target found anything; 1 when one did (the inputs are kept in
# OUT/<target>/findings, ready for `fuzz_<target> <input>` to reproduce); 2 on a usage error.
#
# The campaign record, tests/fuzz/campaign.tsv (kept in the repository with the corpora), holds the
# last line of each target with its date and commit: a campaign of many hours can run a few
# targets at a time (--remaining picks up where the last run stopped), and the README's figures
# come from it.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=10000000
seconds=3600
build=build-san
out=fuzz-long-out
record=tests/fuzz/campaign.tsv
remaining=0
targets=()
# usage [CODE]: the usage text, on stdout for --help (exit 0), on stderr otherwise (exit 2).
usage() {
  local code=${1:-2} text
  text=$(sed -n '10,18p' "$0" | sed 's/^# \{0,1\}//')
  if [ "$code" -eq 0 ]; then echo "$text"; else echo "$text" >&2; fi
  exit "$code"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --remaining) remaining=1; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "fuzz-long.sh: unknown option $1" >&2; usage ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ "$runs" =~ ^[0-9]+$ && "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz-long.sh: --runs and --seconds take whole numbers" >&2; exit 2; }

if [ ! -f "$build/CMakeCache.txt" ]; then
  # Configured as scripts/test.sh configures its sanitizer build (line tables only), so the two
  # can share one build directory.
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DP2P_SANITIZE=ON -DP2P_FUZZ=ON -DP2P_BENCH=OFF -DP2P_TOOLS=ON -DP2P_TOOL_TESTS=OFF \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
fi
all=$(sed -n '/^set(fuzz_targets/,/^)/p' tests/fuzz/CMakeLists.txt | sed '1d;$d' | tr -d ' ')
all="$all bls_point bls_string config_ini control_request pcap"
[ ${#targets[@]} -gt 0 ] || read -r -a targets <<<"$(echo $all)"
if [ "$remaining" -eq 1 ]; then
  left=()
  for t in "${targets[@]}"; do
    # A clean line: no findings, exit 0 (columns 10 and 11). A target with findings runs again
    # once they are fixed.
    awk -F'\t' -v t="$t" '$1 == t && $10 == 0 && $11 == 0 { found = 1 } END { exit !found }' "$record" 2>/dev/null ||
      left+=("$t")
  done
  if [ ${#left[@]} -eq 0 ]; then
    echo "fuzz-long.sh: every target has a clean line in $record: nothing remains" >&2
    exit 0
  fi
  targets=("${left[@]}")
fi
for t in "${targets[@]}"; do
  grep -qw "$t" <<<"$all" || { echo "fuzz-long.sh: no fuzz target $t (targets: $(echo $all))" >&2; exit 2; }
done
cmake --build "$build" -j"$(nproc)" --target fuzz_seed_corpus fuzz_bls_seed_corpus fuzz_node_seed_corpus fuzz_pcap_seed_corpus \
  $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
"$build/tests/fuzz/fuzz_seed_corpus" "$build/tests/fuzz/seeds" >/dev/null
"$build/tests/fuzz/fuzz_bls_seed_corpus" "$build/tests/fuzz/bls_seeds" tests/unit/crypto/bls/data/spring_bls_keys.txt >/dev/null
"$build/tests/fuzz/fuzz_node_seed_corpus" "$build/tests/fuzz/node_seeds" >/dev/null

"$build/tests/fuzz/fuzz_pcap_seed_corpus" "$build/tests/fuzz/pcap_seeds" >/dev/null
# The commit the targets are built from, for the record (taken now: a target runs for an hour).
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- libcore tools tests/fuzz ':!tests/fuzz/corpus' ':!tests/fuzz/campaign.tsv' 2>/dev/null; then
  commit="$commit+changes"
fi

seeds_of() {
  case "$1" in
    bls_*) echo "$build/tests/fuzz/bls_seeds/$1" ;;
    config_ini|control_request) echo "$build/tests/fuzz/node_seeds/$1" ;;
    pcap) echo "$build/tests/fuzz/pcap_seeds/pcap" ;;
    *) echo "$build/tests/fuzz/seeds/$1" ;;
  esac
}
count() { find "$1" -type f 2>/dev/null | wc -l; }

# record_line TARGET EXECS EDGES FEATURES KEPT_IN KEPT_OUT SECONDS FINDINGS EXIT UNREPRODUCED: replaces the
# target's line in the campaign record (tab-separated, sorted by target, a header first).
record_line() {
  local header line tmp
  header=$(printf 'target\tdate\tcommit\texecutions\tedges\tfeatures\tkept_in\tkept_out\tseconds\tfindings\texit\tunreproduced')
  line=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$1" "$(date -u +%Y-%m-%dT%H:%MZ)" \
    "$commit" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}")
  tmp=$(mktemp)
  { echo "$header"; { grep -v -e '^target	' -e "^$1	" "$record" 2>/dev/null || true; echo "$line"; } | sort; } >"$tmp"
  mv "$tmp" "$record"
}

mkdir -p "$out"
found=0
printf '%-20s %12s %8s %9s %7s %7s %8s %8s\n' target executions edges features kept_in kept_out seconds findings
for t in "${targets[@]}"; do
  exe="$build/tests/fuzz/fuzz_$t"
  kept="tests/fuzz/corpus/$t"
  # The inputs of fixed findings (tests/fuzz/regressions/<target>) are read, never merged away.
  regressions=()
  [ -d "tests/fuzz/regressions/$t" ] && regressions=("tests/fuzz/regressions/$t")
  work="$out/$t/corpus"
  findings="$out/$t/findings"
  mkdir -p "$kept" "$findings"
  rm -rf "$work" && mkdir -p "$work"
  before=$(count "$kept")
  start=$(date +%s)
  rc=0
  execs=0
  starved=0
  rm -f "$out/$t/fuzz.log"
  # libFuzzer stops at its first finding. A timeout that does not reproduce when the input is run
  # again (10 s is wall-clock time: a busy, shared machine can starve a run that takes
  # milliseconds) is moved to OUT/<target>/unreproduced and the run resumes from the corpus it has
  # grown, with what is left of the budget; any other finding ends the target.
  while :; do
    left_s=$(( seconds - ($(date +%s) - start) ))
    left_runs=$(( runs - execs ))
    [ "$left_s" -gt 0 ] && [ "$left_runs" -gt 0 ] || break
    rc=0
    "$exe" -runs="$left_runs" -max_total_time="$left_s" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$findings/" "$work" "$kept" "$(seeds_of "$t")" "${regressions[@]}" >"$out/$t/attempt.log" 2>&1 || rc=$?
    cat "$out/$t/attempt.log" >>"$out/$t/fuzz.log"
    n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$t/attempt.log" | grep -o '[0-9]*$' | tail -1)
    execs=$(( execs + ${n:-0} ))
    [ "$rc" -ne 0 ] || break
    artifacts=("$findings"/*)
    [ ${#artifacts[@]} -eq 1 ] && [[ $(basename "${artifacts[0]}") == timeout-* ]] || break
    "$exe" -timeout=10 -rss_limit_mb=2048 "${artifacts[0]}" >"$out/$t/rerun.log" 2>&1 || break
    mkdir -p "$out/$t/unreproduced"
    mv "${artifacts[0]}" "$out/$t/unreproduced/"
    starved=$(( starved + 1 ))
    rc=0
  done
  rm -f "$out/$t/attempt.log"
  took=$(( $(date +%s) - start ))
  edges=$(grep -o 'cov: [0-9]*' "$out/$t/fuzz.log" | tail -1 | grep -o '[0-9]*')
  feats=$(grep -o 'ft: [0-9]*' "$out/$t/fuzz.log" | tail -1 | grep -o '[0-9]*')
  # Minimise the kept corpus: the merge of itself and the new inputs, into a fresh directory.
  merged="$out/$t/merged"
  rm -rf "$merged" && mkdir -p "$merged"
  # An input that crashes the merge is left out of it by libFuzzer: keep it as a finding, never
  # drop it silently (nor write it into the working directory).
  "$exe" -merge=1 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$findings/merge-" "$merged" "$kept" "$work" \
    >"$out/$t/merge.log" 2>&1 || true
  if [ "$(count "$merged")" -gt 0 ]; then
    rm -rf "$kept" && mv "$merged" "$kept"
  fi
  n_found=$(count "$findings")
  if [ "$rc" -ne 0 ] || [ "$n_found" -gt 0 ]; then found=1; fi
  printf '%-20s %12s %8s %9s %7s %7s %8s %8s %s\n' "$t" "$execs" "${edges:-?}" "${feats:-?}" "$before" \
    "$(count "$kept")" "$took" "$n_found$([ "$rc" -ne 0 ] && echo " (exit $rc)")" \
    "$([ "$starved" -gt 0 ] && echo "($starved unreproduced timeouts)")"
  record_line "$t" "$execs" "${edges:-?}" "${feats:-?}" "$before" "$(count "$kept")" "$took" "$n_found" "$rc" "$starved"
done
[ "$found" -eq 0 ] || echo "fuzz-long.sh: findings in $out/*/findings (logs: $out/*/fuzz.log)" >&2
exit "$found"
