# p2pctl: commands run in-process against a real control_server with a scripted fake node.
add_executable(p2pctl_tests
  p2pctl/fake_node.cpp
  p2pctl/commands_test.cpp
  p2pctl/errors_test.cpp
  p2pctl/live_state_test.cpp
)
target_link_libraries(p2pctl_tests PRIVATE test_support p2pctl_lib core_node)
catch_discover_tests(p2pctl_tests TEST_PREFIX "p2pctl_tests: " PROPERTIES TIMEOUT 120)

# The binary itself: a usage error exits 2 before touching any socket.
add_test(NAME p2pctl_cli_usage_exit_code
  COMMAND sh -c "$<TARGET_FILE:p2pctl> --socket /nonexistent/p2pnode.sock no-such-command 2>/dev/null; test $? -eq 2")
add_test(NAME p2pctl_cli_unreachable_exit_code
  COMMAND sh -c "$<TARGET_FILE:p2pctl> --socket /nonexistent/p2pnode.sock status; test $? -eq 3")
set_tests_properties(p2pctl_cli_unreachable_exit_code PROPERTIES PASS_REGULAR_EXPRESSION "/nonexistent/p2pnode.sock")
