// The engine's connections, outbound dialling, periodic work and status. Message handlers are
// in engine_messages.cpp, blocks and transactions in engine_blocks.cpp.
#include "net/engine.hpp"

#include "net/engine_peer.hpp"
#include "net/message_gate.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace core {

std::string_view to_string(block_verdict v) {
   switch (v) {
   case block_verdict::applied: return "applied";
   case block_verdict::forked: return "forked";
   case block_verdict::duplicate: return "duplicate";
   case block_verdict::old: return "old";
   case block_verdict::unlinkable: return "unlinkable";
   case block_verdict::invalid: return "invalid";
   case block_verdict::unavailable: return "unavailable";
   }
   return "unknown";
}

engine::engine(engine_chain& chain, const transport_view& transport, engine_config cfg, node_log& log)
   : chain_(chain), transport_(transport), cfg_(std::move(cfg)), log_(log), sync_(chain_, cfg_.sync),
     dispatch_(cfg_.dedup_expire), outbound_(cfg_.cleanup_period) {
   for (const auto& a : cfg_.peers)
      outbound_.add(a);
}

engine::~engine() = default;

// ---- start / stop / output ------------------------------------------------------------------

void engine::start(net_time now) {
   started_ = true;
   heartbeat_due_ = now + cfg_.sync.keepalive_interval;
   sync_due_ = now + sync_tick;
   expire_due_ = now + expire_period;
   monitor_due_ = now + cfg_.cleanup_period;
   for (const auto& o : outbound_.entries())
      dial(*o);
   bp_gossip_tick(now);
}

void engine::stop() {
   if (stopping_)
      return;
   stopping_ = true;
   for (auto& [cid, p] : peers_)
      close(*p, disconnect_reason::plain(disconnect_op::local, "shutting down"));
}

std::vector<engine_action> engine::take_actions() {
   std::vector<engine_action> out;
   out.swap(actions_);
   return out;
}

std::optional<net_time> engine::next_tick() const {
   if (!started_ || stopping_)
      return std::nullopt;
   net_time next = std::min({heartbeat_due_, sync_due_, expire_due_, monitor_due_});
   for (const auto& due : {serve_due_, drain_due_, trx_due_, outbound_.next_retry()})
      if (due && *due < next)
         next = *due;
   return next;
}

void engine::on_tick(net_time now) {
   if (!started_ || stopping_)
      return;
   if (trx_due_ && now >= *trx_due_) {
      trx_due_.reset();
      process_pending_transactions(now);
   }
   if (drain_due_ && now >= *drain_due_) {
      drain_due_.reset();
      drain_sync_blocks(now);
   }
   if (serve_due_ && now >= *serve_due_) {
      serve_due_.reset();
      pump_serving(now);
   }
   for (const auto& address : outbound_.take_due(now))
      if (auto* o = outbound_.find(address))
         dial(*o);
   if (now >= sync_due_) {
      sync_actions actions;
      sync_.on_timer(now, actions);
      run(actions, now);
      sync_due_ = now + sync_tick;
   }
   if (now >= heartbeat_due_) {
      heartbeat(now);
      heartbeat_due_ = now + cfg_.sync.keepalive_interval;
   }
   if (now >= expire_due_) {
      dispatch_.expire_txns(now);
      dispatch_.expire_blocks(chain_.lib_num());
      chain_.drop_expired_transactions();
      bp_gossip_tick(now);
      expire_due_ = now + expire_period;
   }
   if (now >= monitor_due_) {
      for (const auto& address : outbound_.monitor(now))
         if (auto* o = outbound_.find(address))
            dial(*o);
      monitor_due_ = now + cfg_.cleanup_period;
   }
}

void engine::heartbeat(net_time now) {
   const bool lib_catchup = sync_.stage() == sync_stage::lib_catchup;
   std::vector<uint32_t> ids;
   for (const auto& [cid, p] : peers_)
      ids.push_back(cid);
   for (auto cid : ids) {
      auto* p = find(cid);
      if (!p || !p->open)
         continue;
      if (!p->connected) {
         // No valid handshake within two keepalive intervals: a socket that only holds a slot.
         if (now - p->opened_at > 2 * cfg_.sync.keepalive_interval)
            close(*p, disconnect_reason::plain(disconnect_op::handshake, "no handshake received"));
         continue;
      }
      switch (check_heartbeat(now, p->last_msg_at, p->last_block_at, lib_catchup, cfg_.sync.keepalive_interval)) {
      case heartbeat_action::close:
         p->no_retry = heartbeat_close_reason;
         p->last_error = "heartbeat timeout";
         close(*p, disconnect_reason::plain(disconnect_op::heartbeat, "nothing received for 2 keepalive intervals"));
         break;
      case heartbeat_action::send_handshake: send_handshake(*p, now); break;
      case heartbeat_action::send_ping:
         p->ts.reset();
         send_ping(*p, now);
         break;
      }
   }
}

// ---- connections ----------------------------------------------------------------------------

engine::peer* engine::find(uint32_t cid) {
   auto it = peers_.find(cid);
   return it == peers_.end() ? nullptr : it->second.get();
}

const engine::peer* engine::find(uint32_t cid) const {
   auto it = peers_.find(cid);
   return it == peers_.end() ? nullptr : it->second.get();
}

void engine::on_connected(uint32_t cid, const connection_info& info, net_time now) {
   auto owned = std::make_unique<peer>();
   auto& p = *owned;
   p.id = cid;
   p.outbound = info.outbound;
   p.address = info.address;
   p.remote_ip = info.remote_ip;
   p.remote_port = info.remote_port;
   p.serve_rate = info.serve_rate;
   p.hs = handshake_sender(to_protocol_version(cfg_.identity.network_version));
   p.opened_at = now;
   if (p.outbound) {
      const auto parts = split_peer_address(p.address);
      p.kind = parts.type == "trx" ? connection_kind::transactions_only
               : parts.type == "blk" ? connection_kind::blocks_only
                                     : connection_kind::both;
   }
   uint32_t from_host = 0;
   for (const auto& [id, other] : peers_)
      if (!other->outbound && other->open && other->remote_ip == p.remote_ip)
         ++from_host;
   peers_.emplace(cid, std::move(owned));
   sync_.upsert_peer(sync_snapshot(p));
   if (stopping_) {
      close(p, disconnect_reason::plain(disconnect_op::local, "shutting down"));
      return;
   }
   if (!p.outbound) {
      if (from_host >= cfg_.max_nodes_per_host) {
         close(p, disconnect_reason::plain(disconnect_op::limit, fmt::format("p2p-max-nodes-per-host {} reached for {}",
                                                                             cfg_.max_nodes_per_host, p.remote_ip)));
         return;
      }
      log_.info("net", "{}accepted connection", prefix(p));
      return;
   }
   auto* o = outbound_.find(p.address);
   if (!o || !outbound_peers::current_dial(*o, info.dial)) {
      close(p, disconnect_reason::plain(disconnect_op::local, "peer removed while connecting"));
      return;
   }
   outbound_.on_connected(*o, cid);
   log_.info("net", "{}connected", prefix(p));
   send_handshake(p, now);
   send_ping(p, now);
}

void engine::on_closed(uint32_t cid, const disconnect_reason& why, net_time now) {
   auto it = peers_.find(cid);
   if (it == peers_.end())
      return;
   auto p = std::move(it->second);
   peers_.erase(it);
   const std::string reason = to_string(why);
   log_.info("net", "{}closing connection: {}", prefix(*p), reason);
   if (why.go_away && !why.go_away_received && p->no_retry == go_away_reason::no_reason)
      p->no_retry = *why.go_away;
   sync_actions actions;
   sync_.peer_closed(p->id, now, actions);
   if (!stopping_)
      run(actions, now);
   if (p->connected)
      actions_.emplace_back(std::in_place_type<peer_event>, peer_event{false, p->id, p->address, reason});
   // Spring: when a connection that recently sent blocks goes, the others may have to send
   // blocks again, so every peer's nack count is reset.
   if (!stopping_ && p->last_block_recv_at && last_block_received_at_ &&
       *p->last_block_recv_at + nack_reset_window >= *last_block_received_at_)
      send_block_nack_resets();
   if (!p->outbound || stopping_)
      return;
   auto* o = outbound_.find(p->address);
   if (o && o->connection_id == p->id)
      outbound_.on_closed(*o, reason, p->no_retry, now);
}

void engine::dial(outbound_peers::entry& o) {
   if (stopping_ || !outbound_.start_dial(o))
      return;
   actions_.emplace_back(std::in_place_type<dial_address>, dial_address{o.address, o.dial});
}

void engine::on_dial_failed(const std::string& address, uint64_t dial, const std::string& why, bool resolving,
                            net_time now) {
   auto* o = outbound_.find(address);
   if (!o)
      return;
   ++counters_.failed_connections;
   // nodeos logs every failed attempt: resolve failures as warnings, refused connects at info.
   if (resolving)
      log_.warn("net", "Unable to resolve {}: {}", address, why);
   else
      log_.info("net", "connection failed to {}, {}", address, why);
   // The failure of a dial from before the peer was removed and added again: counted and logged,
   // but the dial in progress is not ended by it (nor a third one started).
   if (outbound_peers::current_dial(*o, dial))
      outbound_.on_dial_failed(*o, resolving ? "resolve: " + why : why, now);
}

void engine::close(peer& p, disconnect_reason why) {
   if (!p.open)
      return;
   p.open = false;
   actions_.emplace_back(std::in_place_type<close_connection>, close_connection{p.id, std::move(why)});
}

uint16_t engine::protocol_of(const peer& p) const {
   const uint16_t theirs = p.last_recv ? to_protocol_version(p.last_recv->network_version) : 0;
   return std::min(theirs, p.hs.net_version);
}

bool engine::send(peer& p, frame_ptr frame, uint32_t which, bool sync_priority) {
   if (!p.open)
      return false;
   if (!may_send(which, protocol_of(p))) {
      ++counters_.gated_messages;
      return false;
   }
   actions_.emplace_back(std::in_place_type<send_frame>, send_frame{p.id, std::move(frame), which, sync_priority});
   return true;
}

// ---- operator requests ----------------------------------------------------------------------

result<std::string> engine::connect(const std::string& address) {
   auto parts = split_peer_address(address);
   if (parts.host.empty() || parts.port.empty())
      return unexpected{fmt::format("\"{}\": expected host:port[:trx|:blk]", address)};
   if (outbound_.find(address))
      return unexpected{std::string("already connected")};
   dial(outbound_.add(address));
   return std::string("added connection");
}

result<std::string> engine::disconnect(const std::string& address) {
   auto cid = outbound_.remove(address);
   if (!cid)
      return unexpected{std::string("no known connection")};
   if (auto* p = find(*cid))
      close(*p, disconnect_reason::plain(disconnect_op::local, "disconnect requested"));
   return std::string("connection removed");
}

void engine::update_auto_bp_peers(const producer_authority_schedule& schedule) {
   if (cfg_.auto_bp_peers.empty() || cfg_.own_producers.empty())
      return;
   const auto wanted = auto_bp_neighbours(schedule, cfg_.own_producers, cfg_.auto_bp_peers);
   std::vector<std::string> drop;
   for (const auto& o : outbound_.entries())
      if (o->auto_bp && !wanted.contains(o->address))
         drop.push_back(o->address);
   for (const auto& a : drop) {
      log_.info("net", "auto-bp-peer {}: no longer a schedule neighbour", a);
      (void)disconnect(a);
   }
   for (const auto& a : wanted) {
      if (outbound_.find(a))
         continue;
      auto& o = outbound_.add(a, true);
      log_.info("net", "auto-bp-peer {}: schedule neighbour, connecting", a);
      dial(o);
   }
}

bool engine::is_bp_address(std::string_view address) const {
   // A handshake's p2p_address is "host:port - <node id>": compare only what precedes the first
   // space, as Leap's mark_bp_connection does, or no inbound connection would ever match.
   const auto parts = split_peer_address(address.substr(0, address.find(' ')));
   for (const auto& [account, a] : cfg_.auto_bp_peers) {
      const auto bp = split_peer_address(a);
      if (bp.host == parts.host && bp.port == parts.port)
         return true;
   }
   return false;
}

// ---- state ----------------------------------------------------------------------------------

std::size_t engine::connection_count() const {
   return std::count_if(peers_.begin(), peers_.end(), [](const auto& kv) { return kv.second->connected; });
}

std::size_t engine::inbound_count() const {
   return std::count_if(peers_.begin(), peers_.end(), [](const auto& kv) { return !kv.second->outbound; });
}

std::size_t engine::open_count() const {
   return std::count_if(peers_.begin(), peers_.end(), [](const auto& kv) { return kv.second->open; });
}

std::vector<std::string> engine::dialling() const {
   std::vector<std::string> out;
   for (const auto& o : outbound_.entries())
      if (o->dialing && o->connection_id == 0)
         out.push_back(o->address);
   return out;
}

std::vector<peer_status> engine::peers() const {
   std::vector<peer_status> out;
   for (const auto& [cid, p] : peers_) {
      peer_status s;
      s.connection_id = cid;
      s.peer = p->address;
      s.remote_ip = p->remote_ip;
      s.remote_port = p->remote_port;
      s.outbound = p->outbound;
      s.connecting = !p->connected;
      s.syncing = sync_.sync_source() == cid;
      s.is_socket_open = p->open;
      s.is_bp_peer = is_bp_address(p->outbound ? p->address : p->last_recv ? p->last_recv->p2p_address : std::string());
      s.is_blocks_only = p->kind == connection_kind::blocks_only;
      s.is_transactions_only = p->kind == connection_kind::transactions_only;
      s.connected_at = p->opened_at;
      if (p->ts.ping)
         s.latency_ms = std::chrono::duration<double, std::milli>(*p->ts.ping).count();
      s.last_received_block = p->last_received_block;
      s.head_num = p->head_num;
      s.lib_num = p->lib_num;
      s.last_error = p->last_error;
      s.last_handshake = p->last_recv;
      s.protocol_version = p->last_recv ? protocol_of(*p) : 0;
      if (const auto* sp = sync_.peer(cid))
         s.earliest_block = sp->peer_start_block_num;
      s.blocks_received = p->blocks_received;
      s.transactions_received = p->transactions_received;
      s.votes_received = p->votes_received;
      s.votes_relayed = p->votes_relayed;
      s.votes_rejected = p->votes_rejected;
      s.nacks_received = p->nacks_received;
      s.nacks_sent = p->nacks_sent;
      s.notices_received = p->notices_received;
      s.notices_sent = p->notices_sent;
      s.consecutive_nacks = p->consecutive_nacks;
      s.block_notices = p->consecutive_nacks > nack_notice_threshold;
      s.is_bp_gossip_peer = p->bp_gossip == peer::bp_gossip_state::gossip;
      s.is_bp_peer = s.is_bp_peer || p->bp_gossip != peer::bp_gossip_state::none;
      s.bp_gossip = p->bp_gossip == peer::bp_gossip_state::gossip       ? "gossip"
                    : p->bp_gossip == peer::bp_gossip_state::validating ? "validating"
                                                                         : "";
      s.bp_gossip_received = p->bp_gossip_received;
      s.bp_gossip_sent = p->bp_gossip_sent;
      out.push_back(std::move(s));
   }
   // Configured peers not connected right now, so operators see why.
   for (const auto& o : outbound_.entries()) {
      if (o->connection_id != 0)
         continue;
      peer_status s;
      s.peer = o->address;
      s.outbound = true;
      s.connecting = o->dialing;
      s.last_error = o->last_error;
      out.push_back(std::move(s));
   }
   return out;
}

std::string engine::prefix(const peer& p) const {
   peer_log_fields f;
   f.name = p.last_recv ? p.last_recv->p2p_address : p.address;
   f.peer = p.address;
   f.cid = p.id;
   f.ip = p.remote_ip;
   f.port = p.remote_port;
   return expand_peer_log_format(cfg_.peer_log_format, f);
}

// ---- protocol helpers -----------------------------------------------------------------------

handshake_chain_info engine::chain_info() const {
   handshake_chain_info c;
   c.lib_num = chain_.lib_num();
   c.lib_id = chain_.lib_id();
   c.head_num = chain_.fork_db_head_num();
   c.head_id = chain_.fork_db_head_id();
   return c;
}

void engine::send_handshake(peer& p, net_time now) {
   if (!p.open)
      return;
   if (auto m = p.hs.next(cfg_.identity, chain_info(), p.kind, now)) {
      log_.debug("net", "{}sending handshake generation {} lib {} head {}", prefix(p), m->generation,
                 m->last_irreversible_block_num, m->head_num);
      send(p, *m);
      sync_.upsert_peer(sync_snapshot(p));
   }
}

void engine::send_ping(peer& p, net_time now) {
   if (auto m = start_ping(p.ts, now))
      send(p, *m);
}

sync_peer engine::sync_snapshot(const peer& p) const {
   sync_peer s;
   s.connection_id = p.id;
   s.blocks_connection = p.kind != connection_kind::transactions_only;
   s.connected = p.connected && p.open;
   s.handshake_sent = p.hs.sent_count > 0;
   s.has_go_away = p.no_retry != go_away_reason::no_reason;
   if (p.last_recv) {
      s.lib_num = p.last_recv->last_irreversible_block_num;
      s.lib_id = p.last_recv->last_irreversible_block_id;
      s.head_num = p.last_recv->head_num;
      s.head_id = p.last_recv->head_id;
      s.protocol_version = protocol_of(p); // what this connection carries (the lower side's)
      s.generation = p.last_recv->generation;
   }
   if (p.ts.ping)
      s.latency_ns = static_cast<uint64_t>(p.ts.ping->count());
   if (const auto* known = sync_.peer(p.id))
      s.peer_start_block_num = known->peer_start_block_num;
   return s;
}

void engine::run(sync_actions& actions, net_time now) {
   for (auto& a : actions.items) {
      std::visit(
         [&](auto& act) {
            using T = std::decay_t<decltype(act)>;
            if constexpr (std::is_same_v<T, send_action>) {
               if (auto* p = find(act.connection_id)) {
                  if (const auto* sr = std::get_if<sync_request_message>(&act.msg))
                     log_.debug("sync", "{}requesting blocks {} to {}", prefix(*p), sr->start_block, sr->end_block);
                  std::visit([&](const auto& m) { send(*p, m); }, act.msg);
               }
            } else if constexpr (std::is_same_v<T, close_action>) {
               if (auto* p = find(act.connection_id)) {
                  p->no_retry = act.reason;
                  close(*p, act.reason == go_away_reason::no_reason
                               ? disconnect_reason::plain(disconnect_op::protocol, "sync manager")
                               : disconnect_reason::sent(act.reason, disconnect_op::protocol, "sync manager"));
               }
            } else if constexpr (std::is_same_v<T, send_handshake_action>) {
               if (auto* p = find(act.connection_id))
                  send_handshake(*p, now);
            } else if constexpr (std::is_same_v<T, send_handshakes_all_action>) {
               for (auto& [cid, p] : peers_)
                  if (p->connected)
                     send_handshake(*p, now);
            }
         },
         a);
   }
   actions.clear();
}

void engine::note_peer_has_block(peer& p, const block_id_type& id, uint32_t num) {
   if (num <= p.head_num)
      return;
   p.head_num = num;
   if (auto lib = chain_.lib_as_of(id); lib && *lib > p.lib_num)
      p.lib_num = *lib;
}

} // namespace core
