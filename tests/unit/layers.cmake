# The libcore layers never reach up: a test reads every #include under libcore/ and fails when
# a file includes a header of a layer its target does not link (directly or through the layers
# it links). The link graph itself is one-way by construction: core_library() refuses to link
# a layer declared after it. This file writes what the check needs, from the targets
# core_library() declared, and registers the test (check_layers.cmake).
#
# A file belongs to the target that compiles it, a header to the target that compiles the .cpp
# of the same name; other headers to the last target declared in their folder (so
# net_messages, declared before net in libcore/net, may not include net/engine_chain.hpp).

get_property(core_libraries GLOBAL PROPERTY CORE_LIBRARIES)
set(manifest "set(LAYER_TARGETS \"${core_libraries}\")\n")

# The layers a target may include: itself and every core_ target it links, transitively.
function(core_layer_closure target out)
  set(seen ${target})
  set(todo ${target})
  while(todo)
    list(POP_FRONT todo t)
    get_target_property(links ${t} LINK_LIBRARIES)
    foreach(l IN LISTS links)
      if(l MATCHES "^core_" AND NOT l IN_LIST seen)
        list(APPEND seen ${l})
        list(APPEND todo ${l})
      endif()
    endforeach()
  endwhile()
  set(${out} "${seen}" PARENT_SCOPE)
endfunction()

foreach(t IN LISTS core_libraries)
  get_target_property(dir ${t} SOURCE_DIR)
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR}/libcore ${dir})
  get_target_property(sources ${t} SOURCES)
  set(stems "")
  foreach(s IN LISTS sources)
    string(REGEX REPLACE "\\.[a-z]+$" "" stem ${s})
    list(APPEND stems ${stem})
  endforeach()
  core_layer_closure(${t} allowed)
  string(APPEND manifest
    "set(LAYER_${t}_DIR \"${folder}\")\n"
    "set(LAYER_${t}_FILES \"${stems}\")\n"
    "set(LAYER_${t}_ALLOWED \"${allowed}\")\n")
endforeach()

file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/libcore_layers.cmake "${manifest}")
add_test(NAME libcore_layers
  COMMAND ${CMAKE_COMMAND} -DMANIFEST=${CMAKE_CURRENT_BINARY_DIR}/libcore_layers.cmake
          -DLIBCORE=${PROJECT_SOURCE_DIR}/libcore -P ${CMAKE_CURRENT_SOURCE_DIR}/check_layers.cmake)
