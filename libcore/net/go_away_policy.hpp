#pragma once
/// What a connection does with a received go_away, and when an outbound connection may dial
/// again (PROTOCOL.md §7 end; L5:net handle_message(go_away_message), resolve_and_connect,
/// _close). Pure: `now` is an argument.
#include "net/messages.hpp"
#include "net/net_time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace core {

/// Back-off starts after more than this many closes without a complete message in between.
inline constexpr uint16_t max_consecutive_immediate_closes = 9;
/// connection-cleanup-period default.
inline constexpr std::chrono::seconds default_connection_cleanup_period{30};

struct go_away_outcome {
   go_away_reason no_retry;                 ///< new no_retry value of the connection
   std::optional<checksum256> peer_node_id; ///< duplicate: remember the node_id it carried
   bool reconnect_now = false;              ///< close(reconnect): first wrong_version / benign_other
};

/// Receiving `msg` on a connection whose no_retry is `current_no_retry` (no_reason if none):
/// the reason is stored; wrong_version reconnects once (a second one stores fatal_other);
/// benign_other reconnects; every other reason closes without an immediate reconnect.
go_away_outcome on_go_away_received(go_away_reason current_no_retry, const go_away_message& msg);

/// Reasons after which the connection monitor may dial again: no_reason, wrong_version,
/// benign_other, duplicate (the duplicate closes quickly if still present).
bool reconnect_allowed(go_away_reason no_retry);

/// Outbound reconnect back-off state; lives as long as the configured peer.
struct reconnect_backoff {
   uint16_t consecutive_immediate_closes = 0;
   std::optional<net_time> last_close;

   /// A whole message was read: the connection is not closing immediately.
   void on_message_received() { consecutive_immediate_closes = 0; }
   /// Every close (Leap _close) counts and stamps the time.
   void on_closed(net_time now) {
      ++consecutive_immediate_closes;
      last_close = now;
   }
};

enum class reconnect_decision : uint8_t {
   give_up, ///< no_retry forbids reconnecting
   wait,    ///< backing off: try again at a later monitor pass
   connect, ///< dial now (and reset no_retry to no_reason)
};
std::string_view to_string(reconnect_decision d);

/// resolve_and_connect: after > 9 immediate closes, or when no_retry is benign_other, wait until
/// `cleanup_period` has passed since the last close (now − last_close ≥ period; a connection
/// never closed also waits).
reconnect_decision decide_reconnect(const reconnect_backoff& b, go_away_reason no_retry, net_time now,
                                    std::chrono::seconds cleanup_period = default_connection_cleanup_period);

} // namespace core
