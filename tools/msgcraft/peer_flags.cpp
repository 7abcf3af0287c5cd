#include "peer_flags.hpp"

#include "command.hpp"
#include "input.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace msgcraft {

namespace {

core::checksum256 parse_checksum(const std::string& flag, const std::string& hex) {
   auto c = core::checksum256::from_string(hex);
   if (!c)
      throw usage_error(flag, "expected 64 hex digits");
   return *c;
}

} // namespace

target_address parse_target(const std::string& s, bool allow_zero) {
   const auto colon = s.rfind(':');
   if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
      throw usage_error("HOST:PORT", "expected HOST:PORT, got \"" + s + "\"");
   target_address t;
   t.host = s.substr(0, colon);
   if (t.host.find(':') != std::string::npos && t.host.front() != '[')
      throw usage_error("HOST:PORT", "an IPv6 host needs brackets: [" + t.host + "]:PORT");
   const std::string port = s.substr(colon + 1);
   if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
       (std::stoul(port) == 0 && !allow_zero) || std::stoul(port) > 65535)
      throw usage_error("HOST:PORT", "bad port \"" + port + "\"");
   t.port = static_cast<uint16_t>(std::stoul(port));
   return t;
}

void handshake_flags::add(CLI::App& cmd) {
   const std::string g = "Handshake";
   cmd.add_option("--chain-id", chain_id, "Chain id (default: the devnet's)")->type_name("HEX")->group(g);
   cmd.add_option("--node-id", node_id, "Node id (default: random)")->type_name("HEX")->group(g);
   cmd.add_option("--key", key, "Sign the handshake with this private key (WIF, PVT_K1_, PVT_R1_, or - for stdin)")
      ->type_name("KEY")
      ->group(g);
   cmd.add_option("--head-num", head_num, "Advertised head block number (default 0)")->type_name("N")->group(g);
   cmd.add_option("--head-id", head_id, "Advertised head block id (default zero)")->type_name("HEX")->group(g);
   cmd.add_option("--lib-num", lib_num, "Advertised LIB number (default 0)")->type_name("N")->group(g);
   cmd.add_option("--lib-id", lib_id, "Advertised LIB id (default zero)")->type_name("HEX")->group(g);
   cmd.add_option("--network-version", network_version, "network_version (default 1212)")->type_name("V")->group(g);
   p2p_address_opt =
      cmd.add_option("--p2p-address", p2p_address, "p2p_address (default \"msgcraft:0 - <7 hex of node id>\")")
         ->type_name("S")
         ->group(g);
   cmd.add_option("--agent", agent, "Agent name (default msgcraft)")->type_name("S")->group(g);
   cmd.add_option("--os", os, "os field (default linux)")->type_name("S")->group(g);
   cmd.add_option("--generation", generation, "Generation (default 1)")->type_name("N")->group(g);
}

handshake_options handshake_flags::make(std::istream& in) const {
   handshake_options h;
   if (!chain_id.empty())
      h.chain_id = parse_checksum("--chain-id", chain_id);
   if (!node_id.empty())
      h.node_id = parse_checksum("--node-id", node_id);
   if (!head_id.empty())
      h.chain.head_id = parse_checksum("--head-id", head_id);
   if (!lib_id.empty())
      h.chain.lib_id = parse_checksum("--lib-id", lib_id);
   h.chain.head_num = head_num;
   h.chain.lib_num = lib_num;
   if (!key.empty()) {
      auto text = read_key_argument(key, in);
      if (!text)
         throw usage_error("--key", text.error());
      auto k = core::private_key::from_string(*text);
      if (!k)
         throw usage_error("--key", k.error());
      h.key = std::move(*k);
   }
   h.network_version = network_version;
   if (p2p_address_opt && p2p_address_opt->count() > 0)
      h.p2p_address = p2p_address;
   h.agent = agent;
   h.os = os;
   h.generation = generation;
   return h;
}

uint16_t free_port(const std::string& host_arg) {
   std::string host = host_arg;
   if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
   addrinfo hints{};
   hints.ai_family = AF_UNSPEC;
   hints.ai_socktype = SOCK_STREAM;
   addrinfo* list = nullptr;
   if (::getaddrinfo(host.c_str(), "0", &hints, &list) != 0)
      return 0;
   uint16_t port = 0;
   for (const addrinfo* ai = list; ai && port == 0; ai = ai->ai_next) {
      const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0)
         continue;
      sockaddr_storage a{};
      socklen_t len = sizeof a;
      if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
         port = ntohs(a.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&a)->sin6_port
                                               : reinterpret_cast<sockaddr_in*>(&a)->sin_port);
      ::close(fd);
   }
   ::freeaddrinfo(list);
   return port;
}

std::chrono::milliseconds seconds_flag(const std::string& flag, double seconds) {
   if (!std::isfinite(seconds) || seconds <= 0 || seconds > 1e6)
      throw usage_error(flag, "expected seconds > 0");
   return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(seconds * 1000)));
}

} // namespace msgcraft
