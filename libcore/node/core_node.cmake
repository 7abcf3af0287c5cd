# node layer: what a running p2pnode is made of — configuration, the peer manager composing the
# net layer with the chain controller, the control socket. Included from libcore/CMakeLists.txt.
add_library(core_node STATIC
  ${CMAKE_CURRENT_LIST_DIR}/node_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/node_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedule_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/chain_sync_view.cpp
  ${CMAKE_CURRENT_LIST_DIR}/peer_manager.cpp
  ${CMAKE_CURRENT_LIST_DIR}/control_commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store_replay.cpp
  ${CMAKE_CURRENT_LIST_DIR}/node.cpp
)
target_link_libraries(core_node PUBLIC core_net core_chain core_store core_cli)
# The control socket server (Unix socket, JSON lines).
include(${CMAKE_CURRENT_LIST_DIR}/control.cmake OPTIONAL)
