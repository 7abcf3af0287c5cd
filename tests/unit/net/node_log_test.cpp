// node_log: the log line format, level filter and peer-log-format expansion.
#include "net/node_log.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using namespace core;

TEST_CASE("node_log: peer-log-format variables", "[node]") {
   peer_log_fields f;
   f.name = "peer.example:9876 - abcdef0";
   f.peer = "10.0.0.1:9876";
   f.cid = 7;
   f.ip = "10.0.0.1";
   f.port = 9876;
   f.lip = "10.0.0.2";
   f.lport = 19876;
   CHECK(expand_peer_log_format("[\"${_name}\" - ${_cid} ${_ip}:${_port}] ", f) ==
         "[\"peer.example:9876 - abcdef0\" - 7 10.0.0.1:9876] ");
   CHECK(expand_peer_log_format("${_peer} ${_lip}:${_lport} ${_other} ${unterminated", f) ==
         "10.0.0.1:9876 10.0.0.2:19876 ${_other} ${unterminated");
   std::ostringstream out;
   node_log log(out, log_level::warn);
   log.info("net", "hidden {}", 1);
   log.warn("net", "shown {}\nsecond line", 2);
   const std::string text = out.str();
   CHECK(text.find("hidden") == std::string::npos);
   CHECK(text.find("shown 2 second line") != std::string::npos);
   CHECK(text.rfind("warn  ", 0) == 0);
   CHECK(std::count(text.begin(), text.end(), '\n') == 1);
}
