#include "net/peer_timing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace core {

net_time normalize_epoch_to_ns(int64_t x) {
   // 1686211688888 ms = 2023-06-08T08:08:08.888, five years after EOS genesis. Leap multiplies
   // in int64 (overflowing for hostile values); wrap explicitly to get the same bits without UB.
   auto scaled = [x](uint64_t f) { return net_time{static_cast<int64_t>(static_cast<uint64_t>(x) * f)}; };
   if (x >= 1686211688888000000LL)
      return net_time{x};
   if (x >= 1686211688888000LL)
      return scaled(1000);
   if (x >= 1686211688888LL)
      return scaled(1000 * 1000);
   if (x >= 1686211688LL)
      return scaled(1000 * 1000 * 1000);
   return net_time{0};
}

std::optional<time_message> start_ping(time_sync_state& s, net_time now) {
   if (s.org != net_time{0})
      return std::nullopt;
   s.org = now;
   return time_message{0, 0, now.count(), 0};
}

std::string_view to_string(time_outcome o) {
   switch (o) {
   case time_outcome::ignored_zero_xmt: return "ignored_zero_xmt";
   case time_outcome::ignored_stale: return "ignored_stale";
   case time_outcome::ignored_duplicate: return "ignored_duplicate";
   case time_outcome::replied: return "replied";
   case time_outcome::loop_completed: return "loop_completed";
   }
   return "unknown";
}

time_message_result on_time_message(time_sync_state& s, const time_message& msg, net_time now,
                                    bool handshake_received) {
   time_message_result r;
   if (msg.xmt == 0) {
      r.outcome = time_outcome::ignored_zero_xmt;
      return r;
   }
   const int64_t dst = now.count();
   if (msg.org != 0) {
      if (msg.org != s.org.count()) {
         r.outcome = time_outcome::ignored_stale;
         return r;
      }
      s.ping = net_time{dst - msg.org};
      r.latency = s.ping;
   }
   const net_time msg_xmt = normalize_epoch_to_ns(msg.xmt);
   if (msg_xmt == s.xmt) {
      r.outcome = time_outcome::ignored_duplicate;
      return r;
   }
   s.xmt = msg_xmt;

   if (msg.org == 0) {
      r.outcome = time_outcome::replied;
      r.reply = time_message{msg.xmt, dst, now.count(), 0};
      return r;
   }

   r.outcome = time_outcome::loop_completed;
   if (s.org != net_time{0}) {
      const net_time rec = normalize_epoch_to_ns(msg.rec);
      // Differences in int64 as Leap computes them (exact); a hostile timestamp that would
      // overflow falls back to double instead of undefined behaviour.
      auto diff = [](int64_t a, int64_t b) {
         int64_t d;
         return __builtin_sub_overflow(a, b, &d) ? double(a) - double(b) : double(d);
      };
      const double offset_d = (diff(rec.count(), s.org.count()) + diff(msg_xmt.count(), dst)) / 2.0;
      const auto offset = static_cast<int64_t>(std::clamp(offset_d, -9.0e18, 9.0e18));
      r.offset_ns = offset;
      r.offset_excessive = std::llabs(offset) > std::chrono::duration_cast<net_time>(block_interval).count();
   }
   s.org = net_time{0};
   r.send_handshake = !handshake_received;
   if (!s.ping)
      r.ping = start_ping(s, now);
   return r;
}

uint32_t block_latency(const std::optional<net_time>& ping) {
   if (!ping)
      return 0;
   return static_cast<uint32_t>(
      std::lround(double(ping->count()) / double(std::chrono::duration_cast<net_time>(block_interval).count())));
}

std::string_view to_string(heartbeat_action a) {
   switch (a) {
   case heartbeat_action::close: return "close";
   case heartbeat_action::send_handshake: return "send_handshake";
   case heartbeat_action::send_ping: return "send_ping";
   }
   return "unknown";
}

heartbeat_action check_heartbeat(net_time now, std::optional<net_time> last_message_received_at,
                                 std::optional<net_time> last_block_at, bool in_lib_catchup,
                                 std::chrono::milliseconds keepalive_interval) {
   if (last_message_received_at) {
      const net_time hb_timeout = std::chrono::duration_cast<net_time>(keepalive_interval * 2);
      if (now > *last_message_received_at + hb_timeout)
         return heartbeat_action::close;
      if (!in_lib_catchup) {
         const net_time half = std::max<net_time>(hb_timeout / 2, std::chrono::duration_cast<net_time>(2 * block_interval));
         if (!last_block_at || now > *last_block_at + half)
            return heartbeat_action::send_handshake;
      }
   }
   return heartbeat_action::send_ping;
}

} // namespace core
