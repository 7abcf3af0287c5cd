#pragma once
/// time_message latency probe and keepalive decisions (PROTOCOL.md §8; L5:net send_time,
/// handle_message(time_message), check_heartbeat). Pure: `now` is an argument.
#include "net/messages.hpp"
#include "net/net_time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace core {

/// Leap 5: peers before 5.0 sent µs; timestamps that look like s / ms / µs since the epoch
/// (thresholds: 2023-06-08T08:08:08.888) become ns; smaller values → 0 (unknown).
net_time normalize_epoch_to_ns(int64_t x);

/// Block interval used to turn a round trip into blocks of latency and to flag clock offsets.
inline constexpr std::chrono::milliseconds block_interval{500};

/// Per-connection time-loop state (RFC 5905 naming). Reset on close (`reset()`).
struct time_sync_state {
   net_time org{0};  ///< origin of our ping in flight; 0 = no loop in progress
   net_time xmt{0};  ///< last (normalized) xmt received, for duplicate detection
   std::optional<net_time> ping; ///< last completed round trip (dst − org); nullopt = unknown
   void reset() { org = net_time{0}; }
};

/// send_time(): when no loop is in progress, remember org = now and return the ping to send
/// {org 0, rec 0, xmt now, dst 0}; otherwise nullopt.
std::optional<time_message> start_ping(time_sync_state& s, net_time now);

enum class time_outcome : uint8_t {
   ignored_zero_xmt, ///< xmt == 0: a broken peer
   ignored_stale,    ///< org ≠ 0 and not our loop's org
   ignored_duplicate,///< same xmt as the previous message
   replied,          ///< their ping (org == 0): answer in `reply`
   loop_completed,   ///< reply to one of ours (or an org-less echo after one): offset computed
};
std::string_view to_string(time_outcome o);

struct time_message_result {
   time_outcome outcome = time_outcome::ignored_zero_xmt;
   std::optional<time_message> reply;  ///< replied: {org = msg.xmt, rec = now, xmt = now, dst 0}
   std::optional<net_time> latency;    ///< set when this message closed our loop (dst − org)
   std::optional<int64_t> offset_ns;   ///< loop_completed with a loop in progress
   bool offset_excessive = false;      ///< |offset| > block_interval (Leap logs a warning)
   bool send_handshake = false;        ///< loop ended and no handshake received yet
   std::optional<time_message> ping;   ///< loop ended and latency still unknown: next ping
};

/// handle_message(time_message) at local receive time `now`. `handshake_received` = a handshake
/// (any generation) has been received on this connection.
time_message_result on_time_message(time_sync_state& s, const time_message& msg, net_time now,
                                    bool handshake_received);

/// Latency in blocks added to head comparisons: round(ping / 500 ms); 0 when unknown.
uint32_t block_latency(const std::optional<net_time>& ping);

enum class heartbeat_action : uint8_t {
   close,          ///< nothing received for 2 × keepalive: no_retry = benign_other, close
                   ///< (reconnect if outbound)
   send_handshake, ///< no block for max(keepalive, 1 s) while not in lib catch-up
   send_ping,      ///< reset org, start a new time loop
};
std::string_view to_string(heartbeat_action a);

/// The go_away reason stored as no_retry when the heartbeat closes a connection.
inline constexpr go_away_reason heartbeat_close_reason = go_away_reason::benign_other;

/// check_heartbeat, run every keepalive interval for each open connection. nullopt times mean
/// "never". Timeouts are strict (now > last + timeout), as in Leap.
heartbeat_action check_heartbeat(net_time now, std::optional<net_time> last_message_received_at,
                                 std::optional<net_time> last_block_at, bool in_lib_catchup,
                                 std::chrono::milliseconds keepalive_interval);

} // namespace core
