#pragma once
/// What the protocol engine asks its shell to do, in order. The shell owns the sockets; the
/// engine never touches one.
#include "net/disconnect_reason.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace core {

using frame_ptr = std::shared_ptr<const std::vector<uint8_t>>;

/// Queue `frame` (a whole frame, length prefix included) on connection `to`. One serialized
/// block or transaction is shared by every connection it is relayed to. Sync-priority frames
/// (blocks served for a sync request) go before other traffic.
struct send_frame {
   uint32_t to = 0;
   frame_ptr frame;
   uint32_t which = 0; ///< the message's wire index
   bool sync_priority = false;
};

/// Close connection `connection_id` once, for `why` (a go_away in it is written first).
struct close_connection {
   uint32_t connection_id = 0;
   disconnect_reason why;
};

/// Resolve and connect to `address` (host:port[:trx|:blk]); report engine::on_connected (with
/// `dial` in its connection_info) or engine::on_dial_failed (with `dial`).
struct dial_address {
   std::string address;
   /// This dial's id. A peer removed while its dial runs and added again is dialled afresh; the
   /// id tells the old dial's result from the new one's.
   uint64_t dial = 0;
};

/// A peer completed its handshake or closed after one (the control socket's watch events).
struct peer_event {
   bool connected = false; ///< false: closed
   uint32_t connection_id = 0;
   std::string peer;
   std::string reason;     ///< closed: the disconnect reason
};

using engine_action = std::variant<send_frame, close_connection, dial_address, peer_event>;

} // namespace core
