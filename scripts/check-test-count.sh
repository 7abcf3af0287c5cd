#!/usr/bin/env bash
# Checks that a CTest run executed every declared Catch2 test case, exactly those, once each.
# Usage: scripts/check-test-count.sh BUILD_DIR RUN_LOG [NAMES]
#   BUILD_DIR  a configured build tree (its tests/catch_executables.txt lists the Catch2
#              executables CTest runs, with their test spec)
#   RUN_LOG    the file tests appended to while CTest ran with P2P_TEST_RUN_LOG=RUN_LOG
#   NAMES      only the executables whose file name matches this extended regex (a run of
#              some executables only, e.g. the ThreadSanitizer one)
# Declared: what each executable lists with --list-test-names-only (with its spec). Executed:
# the lines of RUN_LOG, one per test case that ran to its end. Exits 1 naming each difference.
set -euo pipefail
export LC_ALL=C
if [[ ${1:-} == --help || $# -lt 2 || $# -gt 3 ]]; then
  sed -n '2,11s/^# \{0,1\}//p' "$0"
  [[ ${1:-} == --help ]] && exit 0 || exit 2
fi
build=$1 log=$2 names=${3:-}
list=$build/tests/catch_executables.txt
[[ -f $list ]] || { echo "check-test-count: $list is missing (configure $build first)" >&2; exit 2; }
[[ -f $log ]] || { echo "check-test-count: $log is missing: no test case ran" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS=$'\t' read -r exe spec; do
  [[ -n $exe ]] || continue
  [[ -z $names || $(basename "$exe") =~ $names ]] || continue
  [[ -x $exe ]] || { echo "check-test-count: $exe is not built" >&2; exit 1; }
  # --list-test-names-only exits with the number of test cases listed.
  "$exe" ${spec:+"$spec"} --list-test-names-only | awk -v exe="$exe" 'NF { print exe "\t" $0 }' || true
done <"$list" | sort >"$tmp/declared"
sort "$log" >"$tmp/executed"
declared=$(wc -l <"$tmp/declared")
executed=$(wc -l <"$tmp/executed")
status=0
if dup=$(uniq -d "$tmp/executed") && [[ -n $dup ]]; then
  echo "check-test-count: test cases executed more than once:" >&2
  printf '  %s\n' "$dup" >&2
  status=1
fi
if missing=$(comm -23 "$tmp/declared" <(uniq "$tmp/executed")) && [[ -n $missing ]]; then
  echo "check-test-count: declared test cases that did not run:" >&2
  printf '%s\n' "$missing" | sed 's/^/  /' >&2
  status=1
fi
if extra=$(comm -13 "$tmp/declared" <(uniq "$tmp/executed")) && [[ -n $extra ]]; then
  echo "check-test-count: test cases that ran but are not declared:" >&2
  printf '%s\n' "$extra" | sed 's/^/  /' >&2
  status=1
fi
echo "check-test-count: $executed of $declared declared Catch2 test cases executed"
exit $status
