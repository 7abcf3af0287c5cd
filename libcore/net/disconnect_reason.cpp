#include "net/disconnect_reason.hpp"

namespace core {

std::string_view to_string(disconnect_op op) {
   switch (op) {
   case disconnect_op::read: return "read";
   case disconnect_op::write: return "write";
   case disconnect_op::connect: return "connect";
   case disconnect_op::handshake: return "handshake";
   case disconnect_op::protocol: return "protocol";
   case disconnect_op::heartbeat: return "heartbeat";
   case disconnect_op::limit: return "limit";
   case disconnect_op::local: return "local";
   }
   return "unknown";
}

std::string to_string(const disconnect_reason& r) {
   std::string s = "op=";
   s += to_string(r.op);
   if (r.go_away) {
      s += " go_away=";
      s += enum_name(*r.go_away);
      s += r.go_away_received ? "(received)" : "(sent)";
   }
   if (r.error_code) {
      s += " error=";
      s += std::to_string(*r.error_code);
   }
   if (!r.detail.empty()) {
      s += " detail=";
      s += r.detail;
   }
   return s;
}

} // namespace core
