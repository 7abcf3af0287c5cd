# A CLI test: runs a shell command line and checks both its exit code (0 for every command of a
# pipeline) and its standard output (exactly EXPECT and a newline).
#   cmake "-DRUN=<command line>" "-DEXPECT=<output>" -P expect_output.cmake
foreach(v RUN EXPECT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "expect_output.cmake: -D${v}=... is required")
  endif()
endforeach()
execute_process(COMMAND bash -c "set -o pipefail; ${RUN}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit ${rc}: ${RUN}")
endif()
if(NOT out STREQUAL "${EXPECT}\n")
  message(FATAL_ERROR "${RUN}\nprinted:\n${out}\nexpected:\n${EXPECT}")
endif()
