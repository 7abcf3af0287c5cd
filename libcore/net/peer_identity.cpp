#include "net/peer_identity.hpp"

#include "crypto/os_random.hpp"
#include "crypto/sha256.hpp"

#include <climits>
#include <cstring>

namespace core {

std::string_view to_string(connection_kind k) {
   switch (k) {
   case connection_kind::both: return "both";
   case connection_kind::transactions_only: return "transactions_only";
   case connection_kind::blocks_only: return "blocks_only";
   }
   return "unknown";
}

checksum256 make_node_id() {
   checksum256 id;
   os_random(id.data);
   return id;
}

std::string server_address_from_listen_endpoint(std::string_view endpoint, std::string_view hostname) {
   std::string_view host;
   std::string_view rest;
   if (!endpoint.empty() && endpoint.front() == '[') {
      auto close = endpoint.find(']');
      if (close == std::string_view::npos)
         return std::string(endpoint);
      host = endpoint.substr(0, close + 1);
      rest = endpoint.substr(close + 1);
   } else {
      auto colon = endpoint.find(':');
      host = endpoint.substr(0, colon);
      rest = colon == std::string_view::npos ? std::string_view{} : endpoint.substr(colon);
   }
   // rest = ":port[:rate-cap]"
   std::string_view port;
   if (!rest.empty()) {
      auto second = rest.find(':', 1);
      port = rest.substr(0, second);
   }
   std::string out;
   if (host == "0.0.0.0" || host == "[::]" || host == "::")
      out = std::string(hostname);
   else
      out = std::string(host);
   out += port;
   return out;
}

std::string handshake_p2p_address(const peer_identity& local, connection_kind kind) {
   std::string a = local.server_address;
   if (kind == connection_kind::transactions_only)
      a += ":trx";
   if (kind == connection_kind::blocks_only || !local.accept_transactions)
      a += ":blk";
   a += " - ";
   a += local.node_id.to_string().substr(0, 7);
   return a;
}

peer_address_parts split_peer_address(std::string_view a) {
   if (a.empty())
      return {};
   std::size_t p = a[0] == '[' ? a.find(']') : 0;
   if (p == std::string_view::npos)
      return {};
   auto colon = a.find(':', p);
   auto colon2 = colon == std::string_view::npos ? std::string_view::npos : a.find(':', colon + 1);
   auto end = colon2 == std::string_view::npos ? std::string_view::npos
                                               : a.find_first_of(" :+=.,<>!$%^&(*)|-#@\t", colon2 + 1);
   peer_address_parts r;
   r.host = std::string(p > 0 ? a.substr(1, p - 1) : a.substr(0, colon));
   if (colon != std::string_view::npos)
      r.port = std::string(a.substr(colon + 1, colon2 == std::string_view::npos ? std::string_view::npos
                                                                                 : colon2 - (colon + 1)));
   if (colon2 != std::string_view::npos)
      r.type = std::string(end == std::string_view::npos ? a.substr(colon2 + 1)
                                                         : a.substr(colon2 + 1, end - (colon2 + 1)));
   return r;
}

connection_kind connection_kind_from_address(std::string_view address) {
   auto t = split_peer_address(address).type;
   if (t == "trx")
      return connection_kind::transactions_only;
   if (t == "blk")
      return connection_kind::blocks_only;
   return connection_kind::both;
}

checksum256 handshake_token(int64_t time_ns) {
   uint8_t le[8];
   auto u = static_cast<uint64_t>(time_ns);
   for (int i = 0; i < 8; ++i)
      le[i] = static_cast<uint8_t>(u >> (8 * i));
   return sha256(std::span<const uint8_t>(le, 8));
}

handshake_message make_handshake(const peer_identity& local, const handshake_chain_info& chain,
                                 connection_kind kind, uint16_t net_version, int16_t generation,
                                 net_time now) {
   handshake_message h;
   h.network_version = static_cast<uint16_t>(proto::net_version_base + net_version);
   h.last_irreversible_block_num = chain.lib_num;
   h.last_irreversible_block_id = chain.lib_id;
   h.head_num = chain.head_num;
   h.head_id = chain.head_id;
   h.chain_id = local.chain_id;
   h.node_id = local.node_id;
   if (!local.peer_private_keys.empty())
      h.key = local.peer_private_keys.begin()->first;
   h.time = now.count();
   h.token = handshake_token(h.time);
   if (auto it = local.peer_private_keys.find(h.key); it != local.peer_private_keys.end())
      h.sig = it->second.sign(h.token);
   if (h.sig == signature{})
      h.token = checksum256{};
   h.p2p_address = handshake_p2p_address(local, kind);
   h.os = local.os;
   h.agent = local.agent;
   h.generation = generation;
   return h;
}

bool should_skip_handshake(const handshake_message& last_sent, const block_id_type& head_id, net_time now) {
   constexpr int64_t delay_ns = std::chrono::duration_cast<net_time>(handshake_resend_delay).count();
   return head_id == last_sent.head_id && last_sent.time + delay_ns > now.count();
}

int16_t next_handshake_generation(int16_t sent_count) {
   if (sent_count == INT16_MAX)
      sent_count = 1;
   return static_cast<int16_t>(sent_count + 1);
}

std::optional<handshake_message> handshake_sender::next(const peer_identity& local,
                                                        const handshake_chain_info& chain,
                                                        connection_kind kind, net_time now) {
   if (should_skip_handshake(last_sent, chain.head_id, now))
      return std::nullopt;
   sent_count = next_handshake_generation(sent_count);
   last_sent = make_handshake(local, chain, kind, net_version, sent_count, now);
   return last_sent;
}

void handshake_sender::downgrade_to_explicit_sync() {
   sent_count = 0;
   net_version = proto::explicit_sync;
}

void handshake_sender::reset() {
   last_sent = handshake_message{};
   sent_count = 0;
}

} // namespace core
