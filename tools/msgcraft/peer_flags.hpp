#pragma once
/// Flags of the commands that talk to a peer (fuzz, probe): the HOST:PORT argument and the
/// handshake options, with the same names, defaults and checks as `msgcraft send`.
#include "peer_session.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>

namespace msgcraft {

struct target_address {
   std::string host; ///< as given, brackets of an IPv6 address kept
   uint16_t port = 0;
};

/// "host:port", "[v6]:port". Throws usage_error. Port 0 only when `allow_zero`.
target_address parse_target(const std::string& s, bool allow_zero = false);

/// A TCP port that was free on `host` a moment ago (bound to port 0, then released); 0 when
/// none could be bound.
uint16_t free_port(const std::string& host);

/// --chain-id, --node-id, --key, --head-num/--head-id, --lib-num/--lib-id, --network-version,
/// --p2p-address, --agent, --os, --generation (group "Handshake").
struct handshake_flags {
   std::string chain_id, node_id, key, head_id, lib_id, p2p_address, agent = "msgcraft", os = "linux";
   uint32_t head_num = 0, lib_num = 0;
   uint16_t network_version = core::proto::default_network_version;
   int16_t generation = 1;
   CLI::Option* p2p_address_opt = nullptr;

   void add(CLI::App& cmd);
   /// The options they give. Throws usage_error for bad values; `in` is read for --key -.
   handshake_options make(std::istream& in) const;
};

/// Seconds from a flag as milliseconds (> 0, finite, at most 10^6 s). Throws usage_error.
std::chrono::milliseconds seconds_flag(const std::string& flag, double seconds);

} // namespace msgcraft
