#pragma once
/// Inputs and outputs of the sync manager (PROTOCOL.md §9): a read-only view of the local
/// chain, a per-connection snapshot, and the actions the manager asks its owner to perform.
/// Nothing here touches a socket or a clock.
#include "net/messages.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <variant>
#include <vector>

namespace core {

/// What the sync logic needs to know about the local chain. "head" is the applied head,
/// "fork-db head" the best block in the fork database (Leap 5's chain_info head).
class sync_chain_view {
public:
   virtual ~sync_chain_view() = default;
   virtual uint32_t head_num() const = 0;
   virtual block_id_type head_id() const = 0;
   virtual uint32_t fork_db_head_num() const = 0;
   virtual block_id_type fork_db_head_id() const = 0;
   virtual uint32_t lib_num() const = 0;
   virtual block_id_type lib_id() const = 0;
   /// Id of the block with this number on my best branch; empty when beyond it or pruned.
   virtual std::optional<block_id_type> id_for_num(uint32_t num) const = 0;
   /// True when the block is in the fork database or the block log.
   virtual bool knows_block(const block_id_type& id) const = 0;
   /// Lowest block number that can be served (1 unless the log was pruned).
   virtual uint32_t earliest_available_block_num() const { return 1; }
};

inline constexpr uint64_t unknown_latency_ns = std::numeric_limits<uint64_t>::max();

/// One connection as the sync manager sees it, copied in by the connection's owner.
struct sync_peer {
   uint32_t connection_id = 0;
   bool blocks_connection = true;       ///< false for `:trx` connections
   bool connected = false;              ///< a valid handshake has been received
   bool syncing_from_us = false;        ///< owned by the manager once the peer is known
   bool handshake_sent = false;         ///< we already sent this peer a handshake
   bool has_go_away = false;            ///< no_retry != no_reason
   uint32_t lib_num = 0;                ///< from the last handshake (or last_irr_catch_up notice)
   block_id_type lib_id;
   uint32_t head_num = 0;               ///< from the last handshake (or notice)
   block_id_type head_id;
   uint64_t latency_ns = unknown_latency_ns; ///< last time_message round trip
   uint32_t peer_start_block_num = 0;   ///< earliest block the peer serves (proto ≥ 8 notices)
   uint16_t protocol_version = 0;       ///< network_version − 1205
   int16_t generation = 0;              ///< generation of the last handshake received
};

/// Enqueue `msg` on connection `connection_id`.
struct send_action {
   uint32_t connection_id = 0;
   net_message msg;
};
/// Close connection `connection_id` (reconnect is the owner's policy for `reason`).
struct close_action {
   uint32_t connection_id = 0;
   go_away_reason reason = go_away_reason::no_reason;
};
/// Send our current handshake to one connection.
struct send_handshake_action {
   uint32_t connection_id = 0;
};
/// Send our current handshake to every current connection.
struct send_handshakes_all_action {};

using sync_action = std::variant<send_action, close_action, send_handshake_action, send_handshakes_all_action>;

/// Collects the actions of one call, in the order they must be performed.
struct sync_actions {
   std::vector<sync_action> items;

   // Built in place: moving a temporary variant into the vector makes gcc 12 warn
   // (-Wmaybe-uninitialized, a false positive) about the alternatives it does not hold.
   void send(uint32_t cid, net_message m) {
      items.emplace_back(std::in_place_type<send_action>, send_action{cid, std::move(m)});
   }
   void close(uint32_t cid, go_away_reason r) { items.emplace_back(std::in_place_type<close_action>, close_action{cid, r}); }
   void send_handshake(uint32_t cid) {
      items.emplace_back(std::in_place_type<send_handshake_action>, send_handshake_action{cid});
   }
   void send_handshakes_all() { items.emplace_back(std::in_place_type<send_handshakes_all_action>); }
   bool empty() const { return items.empty(); }
   void clear() { items.clear(); }
};

} // namespace core
