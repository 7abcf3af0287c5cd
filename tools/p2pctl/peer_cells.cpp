#include "peer_cells.hpp"

#include "command.hpp"

namespace p2pctl {

std::string member_text(const rapidjson::Value& obj, const char* key) {
   const auto* v = member(obj, key);
   return v ? cell(*v) : "-";
}

bool member_flag(const rapidjson::Value& obj, const char* key) {
   const auto* v = member(obj, key);
   return v && v->IsBool() && v->GetBool();
}

std::string peer_state(const rapidjson::Value& p) {
   // A peer being dialled has no socket yet: it is connecting, not closed.
   std::string s = member_flag(p, "connecting")        ? "connecting"
                   : !member_flag(p, "is_socket_open") ? "closed"
                   : member_flag(p, "syncing")         ? "syncing"
                                                       : "open";
   if (member_flag(p, "is_bp_peer"))
      s += ",bp";
   if (member_flag(p, "is_bp_gossip_peer"))
      s += ",bp-gossip"; // its BP gossip was verified
   if (member_flag(p, "is_blocks_only"))
      s += ",blocks-only";
   if (member_flag(p, "is_transactions_only"))
      s += ",trx-only";
   if (member_flag(p, "block_notices"))
      s += ",notices"; // it gets block notices instead of blocks
   return s;
}

std::string peer_address(const rapidjson::Value& p) {
   const auto* ip = member(p, "remote_ip");
   if (!ip || !ip->IsString() || ip->GetStringLength() == 0)
      return "-"; // not connected (yet)
   return member_text(p, "remote_ip") + ":" + member_text(p, "remote_port");
}

} // namespace p2pctl
