#pragma once
/// What the fuzzer holds against a peer's answers: things no peer of the advertised version
/// may send, whatever it was sent. Socket-free; fed the frames of one connection in order.
///
/// - answer.undecodable: a frame that does not decode (bad length, unknown index, bad field).
/// - answer.version_gate: a message newer than both sides' protocol allows (PROTOCOL.md §6:
///   votes need 9, nack/notice 10, BP gossip 11, trx notice 12; before any handshake, 0–8).
/// - answer.handshake_invalid: a handshake that breaks is_valid (§7 step 1).
/// - answer.time_reply: a time reply (org ≠ 0) to a ping this connection never sent (§8).
#include "net/messages.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace msgcraft::fuzz {

struct contradiction {
   std::string check;  ///< "answer.version_gate"
   std::string detail; ///< one line
};

/// The highest message index a connection at protocol `proto` may carry.
uint32_t max_message_index(uint16_t proto);

class answer_checker {
public:
   /// A handshake we sent on this connection (the highest version counts).
   void sent_handshake(uint16_t network_version);
   /// A ping we sent (its xmt).
   void sent_ping(int64_t xmt) { pings_.insert(xmt); }

   std::optional<contradiction> received(const core::net_message& m);
   std::optional<contradiction> undecodable(std::string_view why);

   std::optional<uint16_t> peer_protocol() const { return peer_proto_; }

private:
   std::optional<uint16_t> our_proto_;
   std::optional<uint16_t> peer_proto_;
   std::set<int64_t> pings_;
};

} // namespace msgcraft::fuzz
