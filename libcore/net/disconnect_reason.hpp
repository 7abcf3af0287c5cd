#pragma once
/// The record every disconnect carries, built by whoever decides to close and consumed by the
/// connection's single close path, which logs it once (STYLE.md "Every disconnect goes through
/// one place"). A plain value.
#include "net/messages.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace core {

/// What the connection was doing when it ended.
enum class disconnect_op : uint8_t {
   read,      ///< socket read / frame decode
   write,     ///< socket write, write-queue overflow
   connect,   ///< resolve / TCP connect
   handshake, ///< handshake validation (§7)
   protocol,  ///< any other message rule (bad notice, unknown block, go_away received, ...)
   heartbeat, ///< keepalive timeout (§8)
   limit,     ///< max-clients / per-host limits
   local,     ///< operator request, shutdown
};
std::string_view to_string(disconnect_op op);

struct disconnect_reason {
   /// The go_away sent to (or, when go_away_received, received from) the peer; none for a plain
   /// close.
   std::optional<go_away_reason> go_away;
   bool go_away_received = false;
   /// boost::system / errno value of a failed I/O operation; none when no I/O error was involved.
   std::optional<int> error_code;
   disconnect_op op = disconnect_op::local;
   std::string detail; ///< one line, no trailing newline
   /// node_id field of the go_away sent (the stored peer node_id for `duplicate`, else zero).
   checksum256 go_away_node_id;

   bool operator==(const disconnect_reason&) const = default;

   static disconnect_reason sent(go_away_reason r, disconnect_op op, std::string detail) {
      return {r, false, std::nullopt, op, std::move(detail), {}};
   }
   static disconnect_reason received(go_away_reason r, std::string detail) {
      return {r, true, std::nullopt, disconnect_op::protocol, std::move(detail), {}};
   }
   static disconnect_reason io_error(disconnect_op op, int ec, std::string detail) {
      return {std::nullopt, false, ec, op, std::move(detail), {}};
   }
   static disconnect_reason plain(disconnect_op op, std::string detail) {
      return {std::nullopt, false, std::nullopt, op, std::move(detail), {}};
   }
};

/// One log line: "op=handshake go_away=duplicate(sent) error=104 detail=..." (absent parts omitted).
std::string to_string(const disconnect_reason& r);

} // namespace core
