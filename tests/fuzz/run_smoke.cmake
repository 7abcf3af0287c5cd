# Runs one fuzz target briefly on its seeds (a CTest fuzz_smoke_* test):
#   cmake -DFUZZER=<exe> -DSEEDS=<seed dir> -DWORK=<scratch corpus dir> -DSECONDS=<n> [-DKEPT=<dir>]
#         [-DREGRESSIONS=<dir>] -P run_smoke.cmake
# New inputs go to WORK, emptied first, so the seed directory stays as generated and every run
# starts from the same corpus. Fails if there are no seeds, or on any crash, property
# violation, sanitizer report, leak, timeout or out-of-memory (libFuzzer exits non-zero).
foreach(v FUZZER SEEDS WORK SECONDS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_smoke.cmake: -D${v}=... is required")
  endif()
endforeach()

file(GLOB seeds "${SEEDS}/*")
list(LENGTH seeds n_seeds)
if(n_seeds EQUAL 0)
  message(FATAL_ERROR "no seeds in ${SEEDS} (the fuzz_seed_corpus test writes them)")
endif()

# The kept corpus (tests/fuzz/corpus/<target>, grown and minimised by scripts/fuzz-long.sh) and
# the regressions (tests/fuzz/regressions/<target>: the inputs of fixed findings, which a
# minimising merge may leave out of the kept corpus) are read too when they exist.
set(kept_dirs "")
foreach(d IN ITEMS KEPT REGRESSIONS)
  if(DEFINED ${d} AND IS_DIRECTORY "${${d}}")
    file(GLOB inputs "${${d}}/*")
    list(LENGTH inputs n_inputs)
    if(n_inputs GREATER 0)
      list(APPEND kept_dirs "${${d}}")
    endif()
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(
  COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
          "${WORK}" "${SEEDS}" ${kept_dirs}
  WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} exited with ${rc} (${n_seeds} seeds); the crashing input is in ${WORK}")
endif()
