# msgcraft's workbench (fuzz, probe, pcap): socket-free unit tests of seeds, mutations, cases,
# minimisation, reproducers, the probe catalogue, and capture reading (on captures the tests
# write); and fuzz campaigns against fragile_peer, a small peer with planted bugs started
# through --exec. Included from tests/tools/CMakeLists.txt.
add_executable(fragile_peer ${CMAKE_CURRENT_LIST_DIR}/fragile_peer.cpp)
target_link_libraries(fragile_peer PRIVATE core_net_messages)

add_executable(msgcraft_workbench_tests
  ${CMAKE_CURRENT_LIST_DIR}/run_msgcraft.cpp
  ${CMAKE_CURRENT_LIST_DIR}/send_fake_node.cpp
  ${CMAKE_CURRENT_LIST_DIR}/send_script_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzz_unit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzz_fragile_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/probe_unit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/capture_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pcap_unit_test.cpp
)
# integration_support: child processes, free ports and scratch folders (tests/integration).
target_link_libraries(msgcraft_workbench_tests PRIVATE test_support msgcraft_lib integration_support)
target_compile_definitions(msgcraft_workbench_tests PRIVATE FRAGILE_PEER_BIN="$<TARGET_FILE:fragile_peer>")
add_dependencies(msgcraft_workbench_tests fragile_peer msgcraft)
p2p_discover_tests(msgcraft_workbench_tests PREFIX "msgcraft_workbench_tests: " PROPERTIES TIMEOUT 300)
