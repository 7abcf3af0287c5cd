# msgcraft send: the command and msgcraft::peer_session against an in-test fake node on loopback.
# Included from tests/tools/CMakeLists.txt.
add_executable(msgcraft_send_tests
  ${CMAKE_CURRENT_LIST_DIR}/run_msgcraft.cpp
  ${CMAKE_CURRENT_LIST_DIR}/send_fake_node.cpp
  ${CMAKE_CURRENT_LIST_DIR}/send_test.cpp
)
target_link_libraries(msgcraft_send_tests PRIVATE test_support msgcraft_lib Threads::Threads)
p2p_discover_tests(msgcraft_send_tests PREFIX "msgcraft_send_tests: " PROPERTIES TIMEOUT 120)

# The binary: a bad endpoint is a usage error (2) before any connection is tried.
add_test(NAME msgcraft_cli_send_usage_exit_code
  COMMAND sh -c "$<TARGET_FILE:msgcraft> send no-port 2>/dev/null; test $? -eq 2")
