#include "net/go_away_policy.hpp"

namespace core {

go_away_outcome on_go_away_received(go_away_reason current_no_retry, const go_away_message& msg) {
   go_away_outcome o;
   bool retry = current_no_retry == go_away_reason::no_reason;
   o.no_retry = msg.reason;
   if (msg.reason == go_away_reason::duplicate)
      o.peer_node_id = msg.node_id;
   if (msg.reason == go_away_reason::wrong_version) {
      if (!retry)
         o.no_retry = go_away_reason::fatal_other;
   } else if (msg.reason != go_away_reason::benign_other) {
      retry = false;
   }
   o.reconnect_now = retry;
   return o;
}

bool reconnect_allowed(go_away_reason r) {
   switch (r) {
   case go_away_reason::no_reason:
   case go_away_reason::wrong_version:
   case go_away_reason::benign_other:
   case go_away_reason::duplicate:
      return true;
   default:
      return false;
   }
}

std::string_view to_string(reconnect_decision d) {
   switch (d) {
   case reconnect_decision::give_up: return "give_up";
   case reconnect_decision::wait: return "wait";
   case reconnect_decision::connect: return "connect";
   }
   return "unknown";
}

reconnect_decision decide_reconnect(const reconnect_backoff& b, go_away_reason no_retry, net_time now,
                                    std::chrono::seconds cleanup_period) {
   if (!reconnect_allowed(no_retry))
      return reconnect_decision::give_up;
   if (b.consecutive_immediate_closes > max_consecutive_immediate_closes || no_retry == go_away_reason::benign_other) {
      if (!b.last_close || *b.last_close > now - std::chrono::duration_cast<net_time>(cleanup_period))
         return reconnect_decision::wait;
   }
   return reconnect_decision::connect;
}

} // namespace core
