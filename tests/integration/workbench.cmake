# msgcraft's workbench against real p2pnode processes: probe, and captures of a recorded session
# read by msgcraft pcap and by tshark with the generated Wireshark dissector. Included from tests/integration/CMakeLists.txt.
add_executable(workbench_tests
  ${CMAKE_CURRENT_LIST_DIR}/probe_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pcap_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wireshark_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/recorded_session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../tools/msgcraft/capture_writer.cpp
)
# capture_writer: the tests' own pcap/pcapng writer (tests/tools/msgcraft).
target_include_directories(workbench_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../tools/msgcraft)
target_link_libraries(workbench_tests PRIVATE integration_support msgcraft_lib)
# Debian's tshark runs the generated Wireshark dissector (scripts/install-deps.sh installs it).
find_program(TSHARK_PROGRAM tshark)
if(NOT TSHARK_PROGRAM)
  set(TSHARK_PROGRAM /usr/bin/tshark)
endif()
target_compile_definitions(workbench_tests PRIVATE TSHARK_BIN="${TSHARK_PROGRAM}")
add_dependencies(workbench_tests p2pnode p2pctl msgcraft)
p2p_discover_tests(workbench_tests PREFIX "workbench: " SPEC "[integration]"
  PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE LABELS integration)
