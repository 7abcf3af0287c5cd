target_sources(core_node PRIVATE ${CMAKE_CURRENT_LIST_DIR}/control_server.cpp)
