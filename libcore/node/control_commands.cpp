#include "node/control_commands.hpp"

#include "codec/codec.hpp"
#include "codec/hex.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>

namespace core {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key(writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void str(writer& w, std::string_view v) { w.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); }
void kv(writer& w, std::string_view k, std::string_view v) {
   key(w, k);
   str(w, v);
}
void kv(writer& w, std::string_view k, uint64_t v) {
   key(w, k);
   w.Uint64(v);
}
void kvb(writer& w, std::string_view k, bool v) {
   key(w, k);
   w.Bool(v);
}

std::string iso_time(net_time t) {
   return time_point{std::chrono::duration_cast<std::chrono::microseconds>(t).count()}.to_string();
}

std::string error_reply(std::string_view why) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   kvb(w, "ok", false);
   kv(w, "error", why);
   w.EndObject();
   return sb.GetString();
}

/// {"ok":true,"result":<body>} where body writes one JSON value.
template <class F>
std::string ok_reply(F&& body) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   kvb(w, "ok", true);
   key(w, "result");
   body(w);
   w.EndObject();
   return sb.GetString();
}

const char* sync_state_name(sync_stage s) {
   switch (s) {
   case sync_stage::lib_catchup: return "lib_catchup";
   case sync_stage::head_catchup: return "head_catchup";
   case sync_stage::in_sync: return "in_sync";
   }
   return "in_sync";
}

void write_status(writer& w, const control_surface& n) {
   const auto s = n.status();
   w.StartObject();
   kv(w, "chain_id", s.chain_id.to_string());
   kv(w, "node_id", s.node_id.to_string());
   kv(w, "head_block_num", s.head_block_num);
   kv(w, "head_block_id", s.head_block_id.to_string());
   kv(w, "head_block_time", s.head_block_time.to_string());
   kv(w, "head_block_producer", s.head_block_producer.to_string());
   kv(w, "last_irreversible_block_num", s.lib_num);
   kv(w, "last_irreversible_block_id", s.lib_id.to_string());
   kv(w, "fork_db_head_block_num", s.fork_db_head_num);
   kv(w, "fork_db_head_block_id", s.fork_db_head_id.to_string());
   kv(w, "sync_state", sync_state_name(s.stage));
   kv(w, "network_version", s.network_version);
   kv(w, "agent", s.agent);
   kv(w, "p2p_address", s.p2p_address);
   kv(w, "peer_count", s.peer_count);
   key(w, "producers");
   w.StartArray();
   for (const auto& p : s.producers)
      str(w, p.to_string());
   w.EndArray();
   key(w, "active_schedule");
   w.StartArray();
   for (const auto& p : s.active_schedule)
      str(w, p.to_string());
   w.EndArray();
   kv(w, "active_schedule_version", s.active_schedule_version);
   kv(w, "unapplied_transactions", s.unapplied_transactions);
   kv(w, "produced_blocks", s.produced_blocks);
   kv(w, "lib_lag_blocks", s.lib_lag_blocks);
   kv(w, "lib_lag_ms", s.lib_lag_ms);
   kv(w, "consensus", s.savanna ? "savanna" : "dpos");
   key(w, "last_qc_block_num");
   if (s.last_qc_block_num)
      w.Uint(*s.last_qc_block_num);
   else
      w.Null();
   kv(w, "last_qc", !s.last_qc_block_num ? "none" : s.last_qc_strong ? "strong" : "weak");
   kv(w, "finalizer_keys", s.finalizer_keys);
   kv(w, "votes_sent", s.votes_sent);
   kv(w, "votes_received", s.votes_received);
   kv(w, "votes_counted", s.votes_counted);
   kv(w, "store", s.store_available ? "ok" : "unavailable");
   if (!s.store_available) {
      kv(w, "store_error", s.store_error);
      if (s.store_unavailable_since)
         kv(w, "store_unavailable_since", s.store_unavailable_since->to_string());
   }
   w.EndObject();
}

void write_peer(writer& w, const peer_status& p) {
   w.StartObject();
   kv(w, "connection_id", p.connection_id);
   kv(w, "peer", p.peer);
   kv(w, "remote_ip", p.remote_ip);
   kv(w, "remote_port", p.remote_port);
   kvb(w, "outbound", p.outbound);
   kvb(w, "connecting", p.connecting);
   kvb(w, "syncing", p.syncing);
   kvb(w, "is_bp_peer", p.is_bp_peer);
   kvb(w, "is_socket_open", p.is_socket_open);
   kvb(w, "is_blocks_only", p.is_blocks_only);
   kvb(w, "is_transactions_only", p.is_transactions_only);
   kv(w, "connected_at", p.connection_id ? iso_time(p.connected_at) : std::string());
   kv(w, "bytes_received", p.bytes_received);
   kv(w, "bytes_sent", p.bytes_sent);
   kv(w, "write_queue_bytes", p.write_queue_bytes);
   kv(w, "write_queue_high_water", p.write_queue_high_water);
   key(w, "latency_ms");
   if (p.latency_ms)
      w.Double(*p.latency_ms);
   else
      w.Null();
   kv(w, "last_received_block", p.last_received_block);
   kv(w, "head_block_num", p.head_num);
   kv(w, "last_irreversible_block_num", p.lib_num);
   kv(w, "last_error", p.last_error);
   // Spring (protocols 8–12)
   kv(w, "protocol_version", p.protocol_version);
   kv(w, "first_available_block", p.earliest_block);
   kv(w, "blocks_received", p.blocks_received);
   kv(w, "transactions_received", p.transactions_received);
   kv(w, "votes_received", p.votes_received);
   kv(w, "votes_relayed", p.votes_relayed);
   kv(w, "votes_rejected", p.votes_rejected);
   kv(w, "nacks_received", p.nacks_received);
   kv(w, "nacks_sent", p.nacks_sent);
   kv(w, "notices_received", p.notices_received);
   kv(w, "notices_sent", p.notices_sent);
   kv(w, "consecutive_nacks", p.consecutive_nacks);
   kvb(w, "block_notices", p.block_notices);
   kvb(w, "is_bp_gossip_peer", p.is_bp_gossip_peer);
   kv(w, "bp_gossip", p.bp_gossip);
   kv(w, "bp_gossip_received", p.bp_gossip_received);
   kv(w, "bp_gossip_sent", p.bp_gossip_sent);
   key(w, "last_handshake");
   if (p.last_handshake) {
      auto j = to_json(*p.last_handshake);
      w.RawValue(j.data(), j.size(), rapidjson::kObjectType);
   } else {
      w.Null();
   }
   w.EndObject();
}

void optional_uint(writer& w, std::string_view k, const std::optional<uint32_t>& v) {
   key(w, k);
   if (v)
      w.Uint(*v);
   else
      w.Null();
}

void write_sync(writer& w, const control_surface& n) {
   const auto s = n.sync_state();
   w.StartObject();
   kv(w, "stage", sync_state_name(s.stage));
   kv(w, "known_lib_num", s.known_lib_num);
   optional_uint(w, "last_requested_num", s.last_requested_num);
   optional_uint(w, "next_expected_num", s.next_expected_num);
   optional_uint(w, "sync_source", s.sync_source);
   kv(w, "head_block_num", s.head_block_num);
   kv(w, "last_irreversible_block_num", s.lib_num);
   w.EndObject();
}

std::optional<std::string> string_field(const rapidjson::Document& d, const char* k) {
   auto it = d.FindMember(k);
   if (it == d.MemberEnd() || !it->value.IsString())
      return std::nullopt;
   return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string block_reply(const control_surface& n, const rapidjson::Document& d) {
   std::shared_ptr<const signed_block> blk;
   if (auto id = string_field(d, "id")) {
      auto parsed = checksum256::from_string(*id);
      if (!parsed)
         return error_reply(fmt::format("bad block id: {}", parsed.error()));
      blk = n.block_by_id(*parsed);
      if (!blk)
         return error_reply(fmt::format("block {} is not known", *id));
   } else {
      auto it = d.FindMember("num");
      if (it == d.MemberEnd() || !it->value.IsUint())
         return error_reply("block: give \"num\" (a block number) or \"id\"");
      blk = n.block_by_num(it->value.GetUint());
      if (!blk)
         return error_reply(fmt::format("block {} is not on this node's chain", it->value.GetUint()));
   }
   auto j = to_json(*blk);
   return ok_reply([&](writer& w) { w.RawValue(j.data(), j.size(), rapidjson::kObjectType); });
}

std::string push_reply(control_surface& n, const rapidjson::Document& d) {
   std::shared_ptr<const packed_transaction> trx;
   if (auto hex = string_field(d, "hex")) {
      auto bytes = from_hex(*hex);
      if (!bytes)
         return error_reply("push_transaction: \"hex\" is not hexadecimal");
      auto t = unpack<packed_transaction>(std::span<const uint8_t>(*bytes));
      if (!t)
         return error_reply(fmt::format("push_transaction: {}", t.error().message()));
      trx = std::make_shared<const packed_transaction>(std::move(*t));
   } else {
      auto it = d.FindMember("trx");
      if (it == d.MemberEnd() || !it->value.IsObject())
         return error_reply("push_transaction: give \"trx\" (packed_transaction JSON) or \"hex\"");
      auto t = from_json<packed_transaction>(it->value);
      if (!t)
         return error_reply(fmt::format("push_transaction: {}", t.error().message()));
      trx = std::make_shared<const packed_transaction>(std::move(*t));
   }
   auto r = n.push_transaction(trx);
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   kvb(w, "ok", r.accepted);
   if (!r.accepted)
      kv(w, "error", r.error);
   key(w, "result");
   w.StartObject();
   kv(w, "id", r.id.to_string());
   kvb(w, "accepted", r.accepted);
   w.EndObject();
   w.EndObject();
   return sb.GetString();
}

} // namespace

std::string store_event_json(const std::string& error, bool available) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   kv(w, "event", "store");
   kvb(w, "available", available);
   if (!available)
      kv(w, "error", error);
   w.EndObject();
   return sb.GetString();
}

std::string peer_event_json(const peer_event& e) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   kv(w, "event", "peer");
   kv(w, "action", e.connected ? "connected" : "closed");
   kv(w, "connection_id", e.connection_id);
   kv(w, "peer", e.peer);
   if (!e.connected)
      kv(w, "reason", e.reason);
   w.EndObject();
   return sb.GetString();
}

std::string prometheus_metrics(const control_surface& n) {
   const auto st = n.status();
   const auto& counters = n.counters();
   std::string out;
   auto gauge = [&](std::string_view name, std::string_view help, std::string_view type, uint64_t v) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, v);
   };
   auto peers = n.peers();
   uint64_t clients = 0, connected = 0;
   for (const auto& p : peers) {
      if (p.connection_id && !p.connecting)
         ++connected;
      if (p.connection_id && !p.outbound)
         ++clients;
   }
   gauge("nodeos_p2p_peers", "Connected peers", "gauge", connected);
   gauge("nodeos_p2p_clients", "Inbound connections", "gauge", clients);
   gauge("nodeos_p2p_failed_connections", "Outbound connection attempts that failed", "counter",
         counters.failed_connections);
   gauge("nodeos_head_block_num", "Head block number", "gauge", st.head_block_num);
   gauge("nodeos_last_irreversible", "Last irreversible block number", "gauge", st.lib_num);
   gauge("nodeos_fork_db_head_block_num", "Best block number in the fork database", "gauge", st.fork_db_head_num);
   gauge("nodeos_unapplied_transactions", "Transactions queued for production", "gauge", st.unapplied_transactions);
   gauge("nodeos_blocks_produced", "Blocks this node produced since start", "counter", st.produced_blocks);
   gauge("nodeos_p2p_blocks_received", "Blocks received from peers", "counter", counters.received_blocks);
   gauge("nodeos_p2p_blocks_relayed", "Blocks sent to peers by relay", "counter", counters.relayed_blocks);
   gauge("nodeos_p2p_transactions_received", "Transactions received from peers", "counter",
         counters.received_transactions);
   gauge("nodeos_p2p_transactions_relayed", "Transactions sent to peers by relay", "counter",
         counters.relayed_transactions);
   gauge("nodeos_p2p_transactions_dropped", "Transactions dropped unread (not accepting or syncing)", "counter",
         counters.dropped_transactions);
   gauge("nodeos_p2p_votes_received_total", "Votes received from peers", "counter", counters.received_votes);
   gauge("nodeos_p2p_votes_relayed_total", "Vote messages sent to peers (own and relayed)", "counter",
         counters.relayed_votes);
   gauge("nodeos_p2p_votes_duplicate_total", "Received votes already counted", "counter", counters.duplicate_votes);
   gauge("nodeos_p2p_votes_rejected_total", "Received votes on an unknown block, with an unknown key or a bad signature",
         "counter", counters.rejected_votes);
   gauge("nodeos_p2p_block_nacks_sent_total", "block_nack messages sent", "counter", counters.nacks_sent);
   gauge("nodeos_p2p_block_nacks_received_total", "block_nack messages received", "counter", counters.nacks_received);
   gauge("nodeos_p2p_block_notices_sent_total", "block_notice messages sent instead of blocks", "counter",
         counters.notices_sent);
   gauge("nodeos_p2p_block_notices_received_total", "block_notice messages received", "counter",
         counters.notices_received);
   gauge("nodeos_p2p_block_bytes_saved_total", "Block bytes not sent because a block_notice went instead", "counter",
         counters.block_bytes_saved);
   // BP gossip (protocol 11): Spring's Prometheus plugin has no series for it.
   uint64_t bp_gossip_connections = 0;
   for (const auto& p : peers)
      if (p.connection_id && p.is_bp_gossip_peer)
         ++bp_gossip_connections;
   gauge("nodeos_p2p_bp_gossip_peers", "BP peer entries known (p2pctl bp-gossip-peers), the node's own included",
         "gauge", n.bp_gossip_peers().size());
   gauge("nodeos_p2p_bp_gossip_connections", "Connections whose gossip_bp_peers verified (BP-gossip peers)", "gauge",
         bp_gossip_connections);
   gauge("nodeos_p2p_bp_gossip_messages_received_total", "gossip_bp_peers messages received", "counter",
         counters.bp_gossip_received);
   gauge("nodeos_p2p_bp_gossip_messages_sent_total", "gossip_bp_peers messages sent", "counter",
         counters.bp_gossip_sent);
   gauge("nodeos_p2p_bp_gossip_messages_rejected_total", "Malformed gossip_bp_peers messages (the sender closed)",
         "counter", counters.bp_gossip_rejected);
   gauge("nodeos_p2p_bp_gossip_entries_received_total", "Entries in the gossip_bp_peers messages received", "counter",
         counters.bp_gossip_entries_received);
   gauge("nodeos_p2p_bp_gossip_entries_rejected_total",
         "Received entries dropped: no producer key, not the producer's key, expired, or in a malformed message",
         "counter", counters.bp_gossip_entries_dropped);
   gauge("nodeos_p2p_bp_gossip_entries_learnt_total", "Received entries that were new or re-signed", "counter",
         counters.bp_gossip_entries_learnt);
   gauge("nodeos_p2p_bp_gossip_entries_relayed_total", "Entries sent in gossip_bp_peers messages", "counter",
         counters.bp_gossip_entries_sent);
   gauge("nodeos_p2p_transaction_notices_received_total", "transaction_notice messages received (protocol 12)",
         "counter", counters.trx_notices_received);
   gauge("nodeos_p2p_transaction_notices_sent_total", "transaction_notice messages sent (protocol 12)", "counter",
         counters.trx_notices_sent);
   auto per_conn = [&](std::string_view name, std::string_view help, auto value) {
      out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
      for (const auto& p : peers)
         if (p.connection_id)
            out += fmt::format("{}{{connid=\"{}\",peer=\"{}\"}} {}\n", name, p.connection_id, p.peer, value(p));
   };
   per_conn("nodeos_p2p_latency", "Round trip of the last time_message, ns",
            [](const peer_status& p) { return p.latency_ms ? static_cast<uint64_t>(*p.latency_ms * 1e6) : 0; });
   per_conn("nodeos_p2p_bytes_received", "Bytes received on the connection", [](const peer_status& p) { return p.bytes_received; });
   per_conn("nodeos_p2p_bytes_sent", "Bytes sent on the connection", [](const peer_status& p) { return p.bytes_sent; });
   per_conn("nodeos_p2p_write_queue_bytes", "Bytes queued or being written on the connection",
            [](const peer_status& p) { return p.write_queue_bytes; });
   per_conn("nodeos_p2p_write_queue_high_water", "Most bytes ever queued on the connection",
            [](const peer_status& p) { return p.write_queue_high_water; });
   per_conn("nodeos_p2p_last_received_block", "Number of the last block received", [](const peer_status& p) {
      return uint64_t(p.last_received_block);
   });
   per_conn("nodeos_p2p_first_available_block", "First block available from the connection (protocol 8 notices)",
            [](const peer_status& p) { return uint64_t(p.earliest_block); });
   per_conn("nodeos_p2p_protocol_version", "Protocol the connection carries (the lower side's)",
            [](const peer_status& p) { return uint64_t(p.protocol_version); });
   per_conn("nodeos_p2p_votes_received", "Votes received on the connection", [](const peer_status& p) { return p.votes_received; });
   per_conn("nodeos_p2p_votes_relayed", "Votes sent on the connection", [](const peer_status& p) { return p.votes_relayed; });
   per_conn("nodeos_p2p_votes_rejected", "Votes rejected from the connection", [](const peer_status& p) { return p.votes_rejected; });
   per_conn("nodeos_p2p_block_nacks_received", "block_nack messages received on the connection",
            [](const peer_status& p) { return p.nacks_received; });
   per_conn("nodeos_p2p_block_nacks_sent", "block_nack messages sent on the connection",
            [](const peer_status& p) { return p.nacks_sent; });
   per_conn("nodeos_p2p_block_notices_received", "block_notice messages received on the connection",
            [](const peer_status& p) { return p.notices_received; });
   per_conn("nodeos_p2p_block_notices_sent", "block_notice messages sent on the connection",
            [](const peer_status& p) { return p.notices_sent; });
   per_conn("nodeos_p2p_bp_gossip_peer", "1 when the connection is a BP-gossip peer (its gossip_bp_peers verified)",
            [](const peer_status& p) { return uint64_t(p.is_bp_gossip_peer); });
   per_conn("nodeos_p2p_bp_gossip_received", "gossip_bp_peers messages received on the connection",
            [](const peer_status& p) { return p.bp_gossip_received; });
   per_conn("nodeos_p2p_bp_gossip_sent", "gossip_bp_peers messages sent on the connection",
            [](const peer_status& p) { return p.bp_gossip_sent; });
   return out;
}

control_reply handle_control_request(control_surface& n, std::string_view line) {
   rapidjson::Document d;
   d.Parse(line.data(), line.size());
   if (d.HasParseError() || !d.IsObject())
      return {error_reply("request is not a JSON object"), false};
   auto cmd = string_field(d, "cmd");
   if (!cmd)
      return {error_reply("request has no \"cmd\""), false};
   if (*cmd == "status")
      return {ok_reply([&](writer& w) { write_status(w, n); }), false};
   if (*cmd == "peers")
      return {ok_reply([&](writer& w) {
                 w.StartObject();
                 key(w, "peers");
                 w.StartArray();
                 for (const auto& p : n.peers())
                    write_peer(w, p);
                 w.EndArray();
                 w.EndObject();
              }),
              false};
   if (*cmd == "bp_gossip_peers")
      // Spring's /v1/net/bp_gossip_peers: producer_name, server_endpoint, outbound_ip_address, expiration.
      return {ok_reply([&](writer& w) {
                 w.StartObject();
                 key(w, "bp_gossip_peers");
                 w.StartArray();
                 for (const auto& p : n.bp_gossip_peers()) {
                    w.StartObject();
                    kv(w, "producer_name", p.producer_name.to_string());
                    kv(w, "server_endpoint", p.server_endpoint);
                    kv(w, "outbound_ip_address", p.outbound_ip_address);
                    kv(w, "expiration", p.expiration.to_string());
                    w.EndObject();
                 }
                 w.EndArray();
                 w.EndObject();
              }),
              false};
   if (*cmd == "sync")
      return {ok_reply([&](writer& w) { write_sync(w, n); }), false};
   if (*cmd == "connect" || *cmd == "disconnect") {
      auto addr = string_field(d, "address");
      if (!addr || addr->empty())
         return {error_reply(fmt::format("{}: give \"address\"", *cmd)), false};
      auto r = *cmd == "connect" ? n.connect(*addr) : n.disconnect(*addr);
      if (!r)
         return {error_reply(r.error()), false};
      n.log().info("control", "{} {}: {}", *cmd, *addr, *r);
      return {ok_reply([&](writer& w) {
                 w.StartObject();
                 kv(w, "address", *addr);
                 kv(w, "status", *r);
                 w.EndObject();
              }),
              false};
   }
   if (*cmd == "block")
      return {block_reply(n, d), false};
   if (*cmd == "push_transaction")
      return {push_reply(n, d), false};
   if (*cmd == "activate_savanna") {
      auto it = d.FindMember("policy");
      if (it == d.MemberEnd() || !it->value.IsObject())
         return {error_reply("activate_savanna: give \"policy\" (finalizer_policy JSON)"), false};
      auto p = from_json<finalizer_policy>(it->value);
      if (!p)
         return {error_reply(fmt::format("activate_savanna: {}", p.error().message())), false};
      p->generation = 1;
      auto r = n.activate_savanna(*p);
      if (!r)
         return {error_reply(fmt::format("activate_savanna: {}", r.error())), false};
      n.log().info("control", "activate_savanna: {}", *r);
      return {ok_reply([&](writer& w) {
                 w.StartObject();
                 kv(w, "status", *r);
                 kv(w, "finalizers", p->finalizers.size());
                 kv(w, "threshold", p->threshold);
                 w.EndObject();
              }),
              false};
   }
   if (*cmd == "metrics") {
      auto text = prometheus_metrics(n);
      return {ok_reply([&](writer& w) {
                 w.StartObject();
                 kv(w, "text", text);
                 w.EndObject();
              }),
              false};
   }
   if (*cmd == "watch")
      return {ok_reply([&](writer& w) {
                 w.StartObject();
                 kvb(w, "watching", true);
                 w.EndObject();
              }),
              true};
   return {error_reply(fmt::format("unknown command \"{}\"", *cmd)), false};
}

} // namespace core
