#pragma once
/// Which messages a connection may carry, by protocol version (PROTOCOL.md §6): the one table
/// the engine's send path checks. A message newer than the lower of the two sides' protocols
/// is never sent (votes ≥ 9, nack and block notice ≥ 10, BP gossip ≥ 11, transaction notice ≥ 12).
#include "net/messages.hpp"

#include <array>
#include <cstdint>

namespace core {

/// Lowest protocol version (network_version − 1205) that may receive each message, by wire index.
inline constexpr std::array<uint16_t, message_count> min_send_protocol = {
   0,                      // handshake_message
   0,                      // chain_size_message
   0,                      // go_away_message
   0,                      // time_message
   0,                      // notice_message
   0,                      // request_message
   0,                      // sync_request_message
   0,                      // signed_block
   0,                      // packed_transaction
   proto::savanna,         // vote_message
   proto::block_nack,      // block_nack_message
   proto::block_nack,      // block_notice_message
   proto::gossip_bp_peers, // gossip_bp_peers_message
   proto::trx_notice,      // transaction_notice_message
};

/// `which` may go to a connection whose negotiated protocol is `protocol`
/// (min(ours on that connection, the peer's)).
constexpr bool may_send(uint32_t which, uint16_t protocol) {
   return which < message_count && protocol >= min_send_protocol[which];
}

} // namespace core
