#pragma once
/// The engine's record of one connection (private to engine*.cpp).
#include "net/engine.hpp"

namespace core {

struct engine::peer {
   uint32_t id = 0;
   bool outbound = false;
   bool open = true;        ///< false once the engine asked the shell to close it
   std::string address;     ///< configured address (outbound) or ip:port
   std::string remote_ip;
   uint16_t remote_port = 0;
   connection_kind kind = connection_kind::both;
   handshake_sender hs;
   std::optional<handshake_message> last_recv;
   bool connected = false;  ///< a valid handshake was received
   time_sync_state ts;
   go_away_reason no_retry = go_away_reason::no_reason;
   net_time opened_at{0};
   std::optional<net_time> last_msg_at, last_block_at;
   uint32_t last_received_block = 0;
   uint32_t head_num = 0, lib_num = 0; ///< live: see peer_status
   std::string last_error;
   // Blocks still to send for a sync_request / catch_up (inclusive; empty when next > last).
   uint32_t serve_next = 1, serve_last = 0;
   bool serve_go_away_after = false;
   /// The listen endpoint's rate cap (bytes/s, 0 = none) and what was served since it started.
   uint64_t serve_rate = 0;
   net_time serve_since{0};
   uint64_t serve_bytes = 0;
   uint64_t blocks_received = 0, transactions_received = 0; ///< messages from it
   // Spring (protocols 8–12)
   std::optional<net_time> last_block_recv_at; ///< when it last sent us a block
   uint64_t votes_received = 0, votes_relayed = 0, votes_rejected = 0;
   /// Spring's consecutive_blocks_nacks and last_block_nack: more than
   /// nack_notice_threshold consecutive nacks switch the peer from blocks to block notices.
   uint32_t consecutive_nacks = 0;
   block_id_type last_nack;
   uint64_t nacks_received = 0, nacks_sent = 0, notices_received = 0, notices_sent = 0;
   /// The block a notice made us request from it (Spring's last_block_nack_request_message_id).
   std::optional<block_id_type> nack_request;
   /// Spring's bp_connection: gossip_validating (it sent gossip before ours was signed),
   /// gossip (its gossip was verified).
   enum class bp_gossip_state : uint8_t { none, validating, gossip } bp_gossip = bp_gossip_state::none;
   uint64_t bp_gossip_received = 0, bp_gossip_sent = 0;
   /// Spring main's trx_entries_size / trx_entries_reset: transaction entries its notices added.
   std::size_t trx_entry_bytes = 0;
   net_time trx_entries_reset{0};
};

} // namespace core
