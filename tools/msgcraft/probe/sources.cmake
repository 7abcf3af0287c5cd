# msgcraft probe: the socket-free catalogue of checks and the runner that performs them.
# Included from tools/msgcraft/CMakeLists.txt.
target_sources(msgcraft_lib PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/catalogue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../probe_cmd.cpp
)
