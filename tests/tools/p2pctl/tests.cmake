# p2pctl: commands run in-process against a real control_server with a scripted fake node.
add_executable(p2pctl_tests
  p2pctl/fake_node.cpp
  p2pctl/commands_test.cpp
  p2pctl/errors_test.cpp
  p2pctl/live_state_test.cpp
  p2pctl/top_test.cpp
)
target_link_libraries(p2pctl_tests PRIVATE test_support p2pctl_lib core_node)
p2p_discover_tests(p2pctl_tests PREFIX "p2pctl_tests: " PROPERTIES TIMEOUT 120)

# The binary itself: a usage error exits 2 before touching any socket.
add_test(NAME p2pctl_cli_usage_exit_code
  COMMAND sh -c "$<TARGET_FILE:p2pctl> --socket /nonexistent/p2pnode.sock no-such-command 2>/dev/null; test $? -eq 2")
# No socket: exit 3, and the message names the socket. (PASS_REGULAR_EXPRESSION would make CTest
# ignore the exit code, so both are checked inside the command.)
add_test(NAME p2pctl_cli_unreachable_exit_code
  COMMAND sh -c "err=$($<TARGET_FILE:p2pctl> --socket /nonexistent/p2pnode.sock status 2>&1 >/dev/null); rc=$?; \
                 test $rc -eq 3 || { echo \"exit $rc, expected 3\"; exit 1; }; \
                 case \"$err\" in *'cannot reach p2pnode at /nonexistent/p2pnode.sock'*) ;; \
                 *) echo \"unexpected message: $err\"; exit 1 ;; esac")
