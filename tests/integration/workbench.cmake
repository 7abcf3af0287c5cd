# msgcraft's workbench against real p2pnode processes: probe (and pcap captures of a recorded
# session). Included from tests/integration/CMakeLists.txt.
add_executable(workbench_tests
  ${CMAKE_CURRENT_LIST_DIR}/probe_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pcap_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../tools/msgcraft/capture_writer.cpp
)
# capture_writer: the tests' own pcap/pcapng writer (tests/tools/msgcraft).
target_include_directories(workbench_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../tools/msgcraft)
target_link_libraries(workbench_tests PRIVATE integration_support msgcraft_lib)
add_dependencies(workbench_tests p2pnode p2pctl msgcraft)
catch_discover_tests(workbench_tests TEST_PREFIX "workbench: " TEST_SPEC "[integration]"
  PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE LABELS integration)
