# msgcraft fuzz: the campaign (I/O) over socket-free seeds, mutators, cases, answer checks and
# minimisation. Included from tools/msgcraft/CMakeLists.txt.
target_sources(msgcraft_lib PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/seeds.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mutator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzz_case.cpp
  ${CMAKE_CURRENT_LIST_DIR}/answer_checks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/replay.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exec_target.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzz_link.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/campaign.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../fuzz_cmd.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../peer_flags.cpp
)
