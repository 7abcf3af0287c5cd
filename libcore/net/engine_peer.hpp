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
};

} // namespace core
