#include "net/handshake_checks.hpp"

#include "crypto/recover.hpp"
#include "net/peer_identity.hpp"

#include <algorithm>

namespace core {

uint16_t to_protocol_version(uint16_t v) {
   if (v >= proto::net_version_base) {
      v = static_cast<uint16_t>(v - proto::net_version_base);
      return v > net_version_range ? 0 : v;
   }
   return 0;
}

std::string_view to_string(handshake_rule r) {
   switch (r) {
   case handshake_rule::lib_above_head: return "lib_above_head";
   case handshake_rule::p2p_address_empty: return "p2p_address_empty";
   case handshake_rule::p2p_address_too_long: return "p2p_address_too_long";
   case handshake_rule::os_empty: return "os_empty";
   case handshake_rule::os_too_long: return "os_too_long";
   case handshake_rule::agent_too_long: return "agent_too_long";
   case handshake_rule::token_mismatch: return "token_mismatch";
   }
   return "unknown";
}

std::optional<handshake_invalid> is_valid(const handshake_message& msg) {
   if (msg.last_irreversible_block_num > msg.head_num)
      return handshake_invalid{handshake_rule::lib_above_head,
                               "last irreversible block " + std::to_string(msg.last_irreversible_block_num) +
                                  " is greater than head block " + std::to_string(msg.head_num)};
   if (msg.p2p_address.empty())
      return handshake_invalid{handshake_rule::p2p_address_empty, "p2p_address is empty"};
   if (msg.p2p_address.size() > max_handshake_str_length)
      return handshake_invalid{handshake_rule::p2p_address_too_long,
                               "p2p_address too large: " + std::to_string(msg.p2p_address.size()) + " bytes"};
   if (msg.os.empty())
      return handshake_invalid{handshake_rule::os_empty, "os is empty"};
   if (msg.os.size() > max_handshake_str_length)
      return handshake_invalid{handshake_rule::os_too_long,
                               "os too large: " + std::to_string(msg.os.size()) + " bytes"};
   if (msg.agent.size() > max_handshake_str_length)
      return handshake_invalid{handshake_rule::agent_too_long,
                               "agent too large: " + std::to_string(msg.agent.size()) + " bytes"};
   if ((msg.sig != signature{} || !msg.token.empty()) && msg.token != handshake_token(msg.time))
      return handshake_invalid{handshake_rule::token_mismatch, "token is not sha256(time)"};
   return std::nullopt;
}

std::string_view to_string(auth_failure f) {
   switch (f) {
   case auth_failure::none_allowed: return "none_allowed";
   case auth_failure::unauthorized_key: return "unauthorized_key";
   case auth_failure::missing_signature: return "missing_signature";
   case auth_failure::token_mismatch: return "token_mismatch";
   case auth_failure::unrecoverable_signature: return "unrecoverable_signature";
   case auth_failure::key_mismatch: return "key_mismatch";
   }
   return "unknown";
}

std::optional<auth_failure> authenticate_peer(const handshake_message& msg, const auth_config& cfg) {
   if (cfg.mode == allowed_connection::none)
      return auth_failure::none_allowed;
   if (cfg.mode == allowed_connection::any)
      return std::nullopt;
   const bool keyed = has(cfg.mode, allowed_connection::producers) || has(cfg.mode, allowed_connection::specified);
   if (keyed) {
      bool known = std::find(cfg.peer_keys.begin(), cfg.peer_keys.end(), msg.key) != cfg.peer_keys.end() ||
                   cfg.own_keys.count(msg.key) != 0 || (cfg.is_producer_key && cfg.is_producer_key(msg.key));
      if (!known)
         return auth_failure::unauthorized_key;
   }
   if (msg.sig != signature{} && !msg.token.empty()) {
      if (handshake_token(msg.time) != msg.token)
         return auth_failure::token_mismatch;
      auto key = recover_key(msg.sig, msg.token);
      if (!key)
         return auth_failure::unrecoverable_signature;
      if (keyed && *key != msg.key)
         return auth_failure::key_mismatch;
   } else if (keyed) {
      return auth_failure::missing_signature;
   }
   return std::nullopt;
}

std::string_view to_string(handshake_verdict v) {
   switch (v) {
   case handshake_verdict::accept: return "accept";
   case handshake_verdict::accept_send_handshake: return "accept_send_handshake";
   case handshake_verdict::accept_downgrade: return "accept_downgrade";
   case handshake_verdict::go_away: return "go_away";
   case handshake_verdict::disconnect: return "disconnect";
   }
   return "unknown";
}

bool is_duplicate_of(const handshake_message& msg, const handshake_context& ctx, const peer_connection_view& other) {
   if (!other.connected || other.node_id != msg.node_id)
      return false;
   // Leap compares the local protocol number with the peer's raw network_version (≥ 1205 for
   // every real peer), so only a downgraded local side takes the first two branches.
   constexpr uint16_t dup_goaway_resolution = 5;
   constexpr uint16_t dup_node_id_goaway = 6;
   if (ctx.local_net_version < dup_goaway_resolution || msg.network_version < dup_goaway_resolution) {
      // Both sides may get here at once; keep the connection with the larger sum of handshake times.
      int64_t check_time = other.last_handshake_sent_time + other.last_handshake_recv_time;
      if (msg.time + ctx.last_handshake_sent_time <= check_time)
         return false;
   } else if (ctx.local_net_version < dup_node_id_goaway || msg.network_version < dup_node_id_goaway) {
      if (ctx.listen_address < msg.p2p_address)
         return false;
   } else if (ctx.own_node_id < msg.node_id) {
      return false;
   }
   return true;
}

namespace {
handshake_result go_away(go_away_reason r, std::string detail) {
   handshake_result res;
   res.verdict = handshake_verdict::go_away;
   res.reason = r;
   res.detail = std::move(detail);
   return res;
}
} // namespace

handshake_result check_first_handshake(const handshake_message& msg, const handshake_context& ctx) {
   if (msg.node_id == ctx.own_node_id)
      return go_away(go_away_reason::self, "self connection detected, node_id " + msg.node_id.to_string());

   if (ctx.connection_limit_exceeded) {
      handshake_result res;
      res.verdict = handshake_verdict::disconnect;
      res.detail = "connection limit exceeded";
      return res;
   }

   if (ctx.incoming) {
      for (const auto& other : ctx.others) {
         if (is_duplicate_of(msg, ctx, other)) {
            auto res = go_away(go_away_reason::duplicate, "duplicate connection to node " +
                                                             msg.node_id.to_string().substr(0, 7) + " (" +
                                                             msg.p2p_address + ")");
            res.go_away_node_id = ctx.conn_node_id;
            return res;
         }
      }
   }

   if (msg.chain_id != ctx.chain_id)
      return go_away(go_away_reason::wrong_chain, "peer chain_id " + msg.chain_id.to_string());

   const uint16_t peer_protocol = to_protocol_version(msg.network_version);

   if (auto f = authenticate_peer(msg, ctx.auth)) {
      auto res = go_away(go_away_reason::authentication,
                         "peer not authenticated: " + std::string(to_string(*f)) + ", key " + msg.key.to_string());
      res.peer_protocol = peer_protocol;
      return res;
   }

   const uint32_t peer_lib = msg.last_irreversible_block_num;
   if (peer_lib > 0 && peer_lib <= ctx.lib_num && ctx.block_id_for_num) {
      auto mine = ctx.block_id_for_num(peer_lib);
      if (mine && *mine != msg.last_irreversible_block_id) {
         auto res = go_away(go_away_reason::forked, "peer LIB " + std::to_string(peer_lib) + " id " +
                                                       msg.last_irreversible_block_id.to_string() + " differs from mine " +
                                                       mine->to_string());
         res.peer_protocol = peer_protocol;
         return res;
      }
   }

   handshake_result res;
   res.peer_protocol = peer_protocol;
   constexpr uint16_t pruned_types = 3;
   if (peer_protocol >= pruned_types && peer_protocol < proto::leap_initial) {
      res.verdict = handshake_verdict::accept_downgrade;
      res.detail = "EOSIO 2.1 peer (proto " + std::to_string(peer_protocol) + "), advertising proto 1";
   } else if (ctx.sent_handshake_count == 0) {
      res.verdict = handshake_verdict::accept_send_handshake;
      res.detail = "accepted, sending handshake";
   } else {
      res.detail = "accepted";
   }
   return res;
}

handshake_result check_handshake(const handshake_message& msg, const handshake_context& ctx) {
   if (auto bad = is_valid(msg))
      return go_away(go_away_reason::fatal_other, "bad handshake: " + bad->detail);
   if (msg.generation == 1)
      return check_first_handshake(msg, ctx);
   handshake_result res;
   res.peer_protocol = to_protocol_version(msg.network_version);
   res.detail = "handshake generation " + std::to_string(msg.generation);
   return res;
}

} // namespace core
