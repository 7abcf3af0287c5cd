# msgcraft wireshark: the Lua dissector generator. Included from tools/msgcraft/CMakeLists.txt.
target_sources(msgcraft_lib PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/lua_dissector.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../wireshark_cmd.cpp
)
