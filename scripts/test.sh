#!/usr/bin/env bash
# Sets up and runs every test: installs packages, builds the sanitizer+fuzz build of the core
# (clang, ASan+UBSan with assert() on, libFuzzer smoke runs, and a short msgcraft fuzz --exec run
# against an ASan p2pnode: the programs are built there, their own tests are not), a
# ThreadSanitizer build of the threaded parts' tests (recovery pool, store, control socket,
# connection), and the full release build (gcc), and runs CTest in each. After each CTest run,
# scripts/check-test-count.sh checks that every declared Catch2 test case ran. The release run's
# CTest summary and count end the output.
# Usage: scripts/test.sh [--help]   (JOBS=N: parallel build and test jobs, default 2)
set -euo pipefail
if [[ ${1:-} == --help || ${1:-} == -h ]]; then
  sed -n '2,9s/^# \{0,1\}//p' "$0"
  exit 0
elif (($#)); then
  echo "usage: $0 [--help]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
bash scripts/install-deps.sh
# Debug information is most of the compile and link time of these builds: the checking builds
# keep line tables (-g1: sanitizer reports still name files and lines), the release build none.
g1=(-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG")
g0=(-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG")

# Runs CTest in build dir $1 (further arguments go to ctest), then the test-case count check
# (limited to the executables matching $P2P_COUNT_ONLY when set).
run_ctest() {
  local dir=$1
  shift
  local log=$PWD/$dir/test-run.log
  rm -f "$log"
  P2P_TEST_RUN_LOG=$log ctest --test-dir "$dir" -j"$jobs" --output-on-failure "$@"
  bash scripts/check-test-count.sh "$dir" "$log" ${P2P_COUNT_ONLY:+"$P2P_COUNT_ONLY"}
}

echo "== sanitizer build (clang-14, ASan+UBSan, libFuzzer) =="
CC=clang-14 CXX=clang++-14 cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DP2P_SANITIZE=ON -DP2P_FUZZ=ON -DP2P_BENCH=OFF -DP2P_TOOLS=ON -DP2P_TOOL_TESTS=OFF "${g1[@]}" >/dev/null
cmake --build build-san -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_ctest build-san

echo "== ThreadSanitizer build (clang-14): recovery pool, store, control socket, connection =="
tsan_tests=(chain_tests store_tests control_tests net_io_tests)
CC=clang-14 CXX=clang++-14 cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DP2P_TSAN=ON -DP2P_BENCH=OFF -DP2P_TOOLS=OFF "${g1[@]}" >/dev/null
cmake --build build-tsan -j"$jobs" --target "${tsan_tests[@]}"
tsan_names=$(IFS='|'; echo "${tsan_tests[*]}")
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp P2P_COUNT_ONLY="^($tsan_names)\$" \
  run_ctest build-tsan -R "^($tsan_names):"

echo "== release build (gcc) =="
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${g0[@]}" >/dev/null
cmake --build build -j"$jobs"
run_ctest build
