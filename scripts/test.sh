#!/usr/bin/env bash
# Sets up and runs every test: installs packages, builds the sanitizer+fuzz build of the core
# (clang, ASan+UBSan, libFuzzer smoke runs, and a short msgcraft fuzz --exec run against an
# ASan p2pnode: the programs are built there, their own tests are not) and the full release
# build (gcc), and runs CTest in both.
# The release run's CTest summary ends the output.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
bash scripts/install-deps.sh

echo "== sanitizer build (clang-14, ASan+UBSan, libFuzzer) =="
CC=clang-14 CXX=clang++-14 cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DP2P_SANITIZE=ON -DP2P_FUZZ=ON -DP2P_BENCH=OFF -DP2P_TOOLS=ON -DP2P_TOOL_TESTS=OFF >/dev/null
cmake --build build-san -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san -j"$jobs" --output-on-failure

echo "== release build (gcc) =="
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build -j"$jobs" --output-on-failure
