# fuzz_smoke_p2pnode_exec: `msgcraft fuzz --exec` against our own p2pnode, both built with the
# sanitizers, for P2P_FUZZ_SMOKE_SECONDS. The node produces (so it serves blocks), a finding of
# any kind (a crash or sanitizer report, a hang, a contradiction) fails the test, and so does a
# sanitizer report when the node stops. Needs the programs (P2P_TOOLS).
if(TARGET p2pnode AND TARGET msgcraft)
  add_test(NAME fuzz_smoke_p2pnode_exec
    COMMAND ${CMAKE_COMMAND} -DMSGCRAFT=$<TARGET_FILE:msgcraft> -DP2PNODE=$<TARGET_FILE:p2pnode>
            -DWORK=${CMAKE_CURRENT_BINARY_DIR}/work/p2pnode_exec -DSECONDS=${P2P_FUZZ_SMOKE_SECONDS}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/run_p2pnode_fuzz.cmake)
  math(EXPR fuzz_p2pnode_timeout "${P2P_FUZZ_SMOKE_SECONDS} + 240")
  set_tests_properties(fuzz_smoke_p2pnode_exec PROPERTIES LABELS fuzz TIMEOUT ${fuzz_p2pnode_timeout})
endif()
