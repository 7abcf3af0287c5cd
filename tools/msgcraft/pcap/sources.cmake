# msgcraft pcap: socket-free packet parsing, TCP reassembly and frame scanning, and the one file
# that reads captures with libpcap. Included from tools/msgcraft/CMakeLists.txt.
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET GLOBAL libpcap)
target_sources(msgcraft_lib PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/packet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tcp_stream.cpp
  ${CMAKE_CURRENT_LIST_DIR}/frame_scanner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/capture_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stream_summary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/capture_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../pcap_cmd.cpp
)
# libpcap (Debian's libpcap-dev) reads pcap and pcapng files.
target_link_libraries(msgcraft_lib PRIVATE PkgConfig::PCAP)
