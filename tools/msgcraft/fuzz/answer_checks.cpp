#include "fuzz/answer_checks.hpp"

#include "net/handshake_checks.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace msgcraft::fuzz {

uint32_t max_message_index(uint16_t proto) {
   if (proto >= core::proto::trx_notice)
      return 13;
   if (proto >= core::proto::gossip_bp_peers)
      return 12;
   if (proto >= core::proto::block_nack)
      return 11;
   if (proto >= core::proto::savanna)
      return 9;
   return 8;
}

void answer_checker::sent_handshake(uint16_t network_version) {
   const uint16_t p = core::to_protocol_version(network_version);
   our_proto_ = std::max(our_proto_.value_or(0), p);
}

std::optional<contradiction> answer_checker::received(const core::net_message& m) {
   const auto which = static_cast<uint32_t>(m.index());
   uint16_t allowed = our_proto_.value_or(0);
   if (peer_proto_)
      allowed = std::min(allowed, *peer_proto_);
   if (which > max_message_index(allowed))
      return contradiction{"answer.version_gate",
                           fmt::format("{} (index {}) on a connection at protocol {} (ours {}, the peer's {})",
                                       core::message_type_name(which), which, allowed, our_proto_.value_or(0),
                                       peer_proto_ ? fmt::format("{}", *peer_proto_) : std::string("unknown"))};
   if (const auto* h = std::get_if<core::handshake_message>(&m)) {
      if (auto bad = core::is_valid(*h))
         return contradiction{"answer.handshake_invalid",
                              fmt::format("{}: {}", core::to_string(bad->rule), bad->detail)};
      peer_proto_ = core::to_protocol_version(h->network_version);
   }
   if (const auto* t = std::get_if<core::time_message>(&m)) {
      // EOSIO 2.0 (protocol < 7) filled org with its last receive time; Leap and Spring echo xmt.
      if (peer_proto_.value_or(0) >= core::proto::leap_initial && t->org != 0 && t->xmt != 0 && !pings_.count(t->org))
         return contradiction{"answer.time_reply",
                              fmt::format("time reply with org {} to no ping of this connection", t->org)};
   }
   return std::nullopt;
}

std::optional<contradiction> answer_checker::undecodable(std::string_view why) {
   return contradiction{"answer.undecodable", std::string(why)};
}

} // namespace msgcraft::fuzz
