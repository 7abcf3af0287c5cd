# net layer: per-connection protocol logic without sockets (handshake, auth, timing, go_away
# policy). Included from libcore/CMakeLists.txt; paths are relative to libcore/.
add_library(core_net STATIC
  ${CMAKE_CURRENT_LIST_DIR}/disconnect_reason.cpp
  ${CMAKE_CURRENT_LIST_DIR}/peer_identity.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handshake_checks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/peer_timing.cpp
  ${CMAKE_CURRENT_LIST_DIR}/go_away_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sync_manager.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sync_serve.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dispatch_manager.cpp
  ${CMAKE_CURRENT_LIST_DIR}/connection.cpp
)
target_link_libraries(core_net PUBLIC core_net_messages core_chain Boost::system Threads::Threads)
