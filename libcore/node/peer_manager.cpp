#include "node/peer_manager.hpp"

#include "net/request_checks.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace core {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

using steady = std::chrono::steady_clock;

/// Sync blocks queued on one connection before waiting for the socket to drain.
constexpr std::size_t serve_queue_bytes = 4u << 20;
/// How often the sync manager's response deadline is checked.
constexpr auto sync_tick = std::chrono::milliseconds(250);
/// Leap's expire timer: transaction and block state indexes are swept this often.
constexpr auto expire_period = std::chrono::seconds(3);
/// Delay before an outbound peer is dialled again after a close that allows it (Leap 5's
/// connection timer after _close).
constexpr auto reconnect_delay = std::chrono::milliseconds(100);

std::string endpoint_host(const std::string& host) {
   return host.size() > 1 && host.front() == '[' && host.back() == ']' ? host.substr(1, host.size() - 2) : host;
}

} // namespace

struct peer_manager::peer {
   std::shared_ptr<connection> conn;
   uint32_t id = 0;
   bool outbound = false;
   std::string address; ///< configured address (outbound) or ip:port
   connection_kind kind = connection_kind::both;
   handshake_sender hs;
   std::optional<handshake_message> last_recv;
   bool connected = false; ///< a valid handshake was received
   time_sync_state ts;
   go_away_reason no_retry = go_away_reason::no_reason;
   net_time opened_at{0};
   std::optional<net_time> last_msg_at, last_block_at;
   uint32_t last_received_block = 0;
   std::string last_error;
   // Blocks still to send for a sync_request / catch_up (inclusive; empty when next > last).
   uint32_t serve_next = 1, serve_last = 0;
   bool serve_go_away_after = false;
   /// The listen endpoint's rate cap (bytes/s, 0 = none) and what was served since it started.
   uint64_t serve_rate = 0;
   steady::time_point serve_since{};
   uint64_t serve_bytes = 0;
};

peer_manager::peer_manager(asio::io_context& io, controller& chain, const chain_store& store, peer_manager_config cfg,
                           node_log& log, const net_clock& clock)
   : io_(io), chain_(chain), store_(store), cfg_(std::move(cfg)), log_(log), clock_(clock), view_(chain_, store_),
     sync_(view_, cfg_.sync), dispatch_(cfg_.dedup_expire), heartbeat_timer_(io), sync_timer_(io), expire_timer_(io),
     monitor_timer_(io), serve_timer_(io), sync_drain_timer_(io) {
   // Relay after header validation, before full application (§9): the controller emits
   // accepted_block_header for received and produced blocks alike.
   std::weak_ptr<bool> alive = alive_;
   chain_.accepted_block_header.connect([this, alive](const block_state_ptr& b) {
      if (!alive.expired())
         relay_block(b);
   });
   for (const auto& a : cfg_.peers) {
      auto o = std::make_unique<outbound_peer>();
      o->address = a;
      o->parts = split_peer_address(a);
      outbound_.push_back(std::move(o));
   }
}

peer_manager::~peer_manager() {
   *alive_ = false;
   alive_.reset();
   stop();
}

// ---- start / stop ---------------------------------------------------------------------------

result<bool> peer_manager::start() {
   for (const auto& spec : cfg_.listen) {
      auto parts = split_peer_address(spec);
      boost::system::error_code ec;
      auto addr = asio::ip::make_address(endpoint_host(parts.host), ec);
      if (ec) {
         tcp::resolver r(io_);
         auto res = r.resolve(endpoint_host(parts.host), parts.port, ec);
         if (ec || res.empty())
            return unexpected{fmt::format("p2p-listen-endpoint {}: cannot resolve: {}", spec, ec.message())};
         addr = res.begin()->endpoint().address();
      }
      unsigned port = 0;
      try {
         port = static_cast<unsigned>(std::stoul(parts.port));
      } catch (...) {
         return unexpected{fmt::format("p2p-listen-endpoint {}: bad port", spec)};
      }
      auto acc = std::make_unique<tcp::acceptor>(io_);
      tcp::endpoint ep(addr, static_cast<uint16_t>(port));
      acc->open(ep.protocol(), ec);
      if (!ec)
         acc->set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec)
         acc->bind(ep, ec);
      if (!ec)
         acc->listen(asio::socket_base::max_listen_connections, ec);
      if (ec)
         return unexpected{fmt::format("p2p-listen-endpoint {}: {}", spec, ec.message())};
      log_.info("net", "listening on {}", acc->local_endpoint(ec).address().to_string() + ":" +
                                              std::to_string(acc->local_endpoint(ec).port()));
      acceptors_.push_back(std::move(acc));
      start_accept(acceptors_.size() - 1);
   }
   for (auto& o : outbound_)
      dial(*o);
   arm_heartbeat();
   arm_sync_timer();
   arm_expire_timer();
   arm_monitor();
   return true;
}

void peer_manager::stop() {
   if (stopping_)
      return;
   stopping_ = true;
   for (auto* t : {&heartbeat_timer_, &sync_timer_, &expire_timer_, &monitor_timer_, &serve_timer_, &sync_drain_timer_})
      t->cancel();
   for (auto& a : acceptors_) {
      boost::system::error_code ec;
      a->close(ec);
   }
   std::vector<std::shared_ptr<connection>> open;
   for (auto& [cid, p] : peers_)
      open.push_back(p->conn);
   for (auto& c : open)
      c->close(disconnect_reason::plain(disconnect_op::local, "shutting down"));
}

std::vector<tcp::endpoint> peer_manager::listen_endpoints() const {
   std::vector<tcp::endpoint> out;
   for (const auto& a : acceptors_) {
      boost::system::error_code ec;
      auto ep = a->local_endpoint(ec);
      if (!ec)
         out.push_back(ep);
   }
   return out;
}

// ---- connections ----------------------------------------------------------------------------

void peer_manager::start_accept(std::size_t listener) {
   acceptors_[listener]->async_accept([this, listener, alive = std::weak_ptr<bool>(alive_)](
                                         const boost::system::error_code& ec, tcp::socket s) {
      if (alive.expired() || stopping_ || ec == asio::error::operation_aborted)
         return;
      if (!ec)
         on_accepted(std::move(s), listener);
      else
         log_.warn("net", "accept: {}", ec.message());
      start_accept(listener);
   });
}

void peer_manager::on_accepted(tcp::socket s, std::size_t listener) {
   boost::system::error_code ec;
   auto remote = s.remote_endpoint(ec);
   if (ec)
      return;
   const auto ip = remote.address().to_string();
   uint32_t from_host = 0;
   for (const auto& [cid, p] : peers_)
      if (!p->outbound && p->conn->is_open() && p->conn->remote_ip() == ip)
         ++from_host;
   auto& p = add_connection(std::move(s), false, fmt::format("{}:{}", ip, remote.port()));
   if (listener < cfg_.listen_rate_limits.size())
      p.serve_rate = cfg_.listen_rate_limits[listener];
   if (from_host >= cfg_.max_nodes_per_host) {
      close(p, disconnect_reason::plain(disconnect_op::limit,
                                        fmt::format("p2p-max-nodes-per-host {} reached for {}", cfg_.max_nodes_per_host, ip)));
      return;
   }
   log_.info("net", "{}accepted connection", prefix(p));
}

peer_manager::peer& peer_manager::add_connection(tcp::socket s, bool outbound, const std::string& address) {
   auto p = std::make_unique<peer>();
   p->id = next_cid_++;
   p->outbound = outbound;
   p->address = address;
   p->hs = handshake_sender(to_protocol_version(cfg_.identity.network_version));
   p->opened_at = clock_.now();
   if (outbound) {
      auto parts = split_peer_address(address);
      p->kind = parts.type == "trx" ? connection_kind::transactions_only
                : parts.type == "blk" ? connection_kind::blocks_only
                                      : connection_kind::both;
   }
   p->conn = std::make_shared<connection>(std::move(s), p->id, outbound, static_cast<connection_events&>(*this));
   auto& ref = *p;
   peers_.emplace(p->id, std::move(p));
   ref.conn->start();
   sync_.upsert_peer(sync_snapshot(ref));
   return ref;
}

void peer_manager::dial(outbound_peer& o) {
   if (stopping_ || o.dialing || o.connection_id != 0)
      return;
   o.dialing = true;
   auto resolver = std::make_shared<tcp::resolver>(io_);
   const std::string address = o.address;
   resolver->async_resolve(
      endpoint_host(o.parts.host), o.parts.port,
      [this, resolver, address, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec,
                                                                     tcp::resolver::results_type res) {
         if (alive.expired() || stopping_)
            return;
         auto* o = find_outbound(address);
         if (!o)
            return;
         auto fail = [this, address](const std::string& why) { dial_failed(address, why); };
         if (ec)
            return fail("resolve: " + ec.message());
         auto sock = std::make_shared<tcp::socket>(io_);
         asio::async_connect(*sock, res,
                             [this, sock, address, fail, alive](const boost::system::error_code& e, const tcp::endpoint&) {
                                if (alive.expired() || stopping_)
                                   return;
                                auto* op = find_outbound(address);
                                if (!op)
                                   return;
                                if (e)
                                   return fail(e.message());
                                op->dialing = false;
                                op->no_retry = go_away_reason::no_reason;
                                auto& p = add_connection(std::move(*sock), true, address);
                                op->connection_id = p.id;
                                log_.info("net", "{}connected", prefix(p));
                                send_handshake(p);
                                send_ping(p);
                             });
      });
}

void peer_manager::dial_failed(const std::string& address, const std::string& why) {
   auto* o = find_outbound(address);
   if (!o)
      return;
   o->dialing = false;
   o->last_error = why;
   ++counters_.failed_connections;
   o->backoff.on_closed(clock_.now());
   log_.debug("net", "connect {}: {}", o->address, why);
   schedule_reconnect(address);
}

void peer_manager::schedule_reconnect(const std::string& address) {
   auto t = std::make_shared<asio::steady_timer>(io_, reconnect_delay);
   t->async_wait([this, t, address, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& e) {
      if (e || alive.expired() || stopping_)
         return;
      if (auto* o = find_outbound(address);
          o && decide_reconnect(o->backoff, o->no_retry, clock_.now(), cfg_.cleanup_period) == reconnect_decision::connect)
         dial(*o);
   });
}

peer_manager::peer* peer_manager::find(uint32_t cid) {
   auto it = peers_.find(cid);
   return it == peers_.end() ? nullptr : it->second.get();
}

peer_manager::outbound_peer* peer_manager::find_outbound(const std::string& address) {
   for (auto& o : outbound_)
      if (o->address == address)
         return o.get();
   return nullptr;
}

void peer_manager::close(peer& p, disconnect_reason why) { p.conn->close(std::move(why)); }

void peer_manager::on_closed(connection& c, const disconnect_reason& why) {
   auto it = peers_.find(c.id());
   if (it == peers_.end())
      return;
   auto p = std::move(it->second);
   peers_.erase(it);
   const auto now = clock_.now();
   const std::string reason = to_string(why);
   log_.info("net", "{}closing connection: {}", prefix(*p), reason);
   if (why.go_away && !why.go_away_received && p->no_retry == go_away_reason::no_reason)
      p->no_retry = *why.go_away;
   sync_actions actions;
   sync_.peer_closed(p->id, steady::now(), actions);
   if (!stopping_)
      run(actions);
   if (p->connected)
      peer_events(peer_event{false, p->id, p->address, reason});
   if (!p->outbound || stopping_)
      return;
   auto* o = find_outbound(p->address);
   if (!o || o->connection_id != p->id)
      return;
   o->connection_id = 0;
   o->last_error = reason;
   o->no_retry = p->no_retry;
   o->backoff.on_closed(now);
   if (reconnect_allowed(o->no_retry))
      schedule_reconnect(o->address);
}

// ---- operator requests ----------------------------------------------------------------------

result<std::string> peer_manager::connect(const std::string& address) {
   auto parts = split_peer_address(address);
   if (parts.host.empty() || parts.port.empty())
      return unexpected{fmt::format("\"{}\": expected host:port[:trx|:blk]", address)};
   if (find_outbound(address))
      return unexpected{std::string("already connected")};
   auto o = std::make_unique<outbound_peer>();
   o->address = address;
   o->parts = parts;
   auto& ref = *o;
   outbound_.push_back(std::move(o));
   dial(ref);
   return std::string("added connection");
}

result<std::string> peer_manager::disconnect(const std::string& address) {
   auto it = std::find_if(outbound_.begin(), outbound_.end(), [&](const auto& o) { return o->address == address; });
   if (it == outbound_.end())
      return unexpected{std::string("no known connection")};
   const uint32_t cid = (*it)->connection_id;
   outbound_.erase(it);
   if (auto* p = find(cid))
      close(*p, disconnect_reason::plain(disconnect_op::local, "disconnect requested"));
   return std::string("connection removed");
}

transaction_result peer_manager::push_transaction(std::shared_ptr<const packed_transaction> trx) {
   const auto& t = trx->get_transaction();
   if (dispatch_.add_peer_txn(trx->id(), t.expiration, 0, clock_.now())) {
      transaction_result r;
      r.id = trx->id();
      r.error = fmt::format("transaction {} is a duplicate", r.id.to_string());
      return r;
   }
   auto r = chain_.push_transaction(trx);
   if (r.accepted)
      relay_transaction(trx);
   return r;
}

void peer_manager::update_auto_bp_peers(const producer_authority_schedule& schedule) {
   if (cfg_.auto_bp_peers.empty() || cfg_.own_producers.empty())
      return;
   std::set<name> neighbours;
   const auto n = schedule.producers.size();
   for (std::size_t i = 0; i < n; ++i) {
      if (!cfg_.own_producers.contains(schedule.producers[i].producer_name))
         continue;
      for (std::size_t d = 1; d <= 2 && d < n; ++d) {
         neighbours.insert(schedule.producers[(i + d) % n].producer_name);
         neighbours.insert(schedule.producers[(i + n - d) % n].producer_name);
      }
   }
   for (const auto& own : cfg_.own_producers)
      neighbours.erase(own);
   std::set<std::string> wanted;
   for (const auto& [account, address] : cfg_.auto_bp_peers)
      if (neighbours.contains(account))
         wanted.insert(address);
   std::vector<std::string> drop;
   for (const auto& o : outbound_)
      if (o->auto_bp && !wanted.contains(o->address))
         drop.push_back(o->address);
   for (const auto& a : drop) {
      log_.info("net", "auto-bp-peer {}: no longer a schedule neighbour", a);
      (void)disconnect(a);
   }
   for (const auto& a : wanted) {
      if (find_outbound(a))
         continue;
      auto o = std::make_unique<outbound_peer>();
      o->address = a;
      o->parts = split_peer_address(a);
      o->auto_bp = true;
      auto& ref = *o;
      outbound_.push_back(std::move(o));
      log_.info("net", "auto-bp-peer {}: schedule neighbour, connecting", a);
      dial(ref);
   }
}

bool peer_manager::is_bp_address(std::string_view address) const {
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

std::size_t peer_manager::connection_count() const {
   return std::count_if(peers_.begin(), peers_.end(), [](const auto& kv) { return kv.second->connected; });
}

std::size_t peer_manager::inbound_count() const {
   return std::count_if(peers_.begin(), peers_.end(), [](const auto& kv) { return !kv.second->outbound; });
}

std::vector<peer_status> peer_manager::peers() const {
   std::vector<peer_status> out;
   for (const auto& [cid, p] : peers_) {
      peer_status s;
      s.connection_id = cid;
      s.peer = p->address;
      s.remote_ip = p->conn->remote_ip();
      s.remote_port = p->conn->remote_port();
      s.outbound = p->outbound;
      s.connecting = !p->connected;
      s.syncing = sync_.sync_source() == cid;
      s.is_socket_open = p->conn->is_open();
      s.is_bp_peer = is_bp_address(p->outbound ? p->address : p->last_recv ? p->last_recv->p2p_address : std::string());
      s.is_blocks_only = p->kind == connection_kind::blocks_only;
      s.is_transactions_only = p->kind == connection_kind::transactions_only;
      s.connected_at = p->conn->connected_at();
      s.bytes_received = p->conn->bytes_received();
      s.bytes_sent = p->conn->bytes_sent();
      if (p->ts.ping)
         s.latency_ms = std::chrono::duration<double, std::milli>(*p->ts.ping).count();
      s.last_received_block = p->last_received_block;
      s.last_error = p->last_error;
      s.last_handshake = p->last_recv;
      out.push_back(std::move(s));
   }
   // Configured peers not connected right now, so operators see why.
   for (const auto& o : outbound_) {
      if (o->connection_id != 0)
         continue;
      peer_status s;
      s.peer = o->address;
      s.outbound = true;
      s.connecting = true;
      s.last_error = o->last_error;
      out.push_back(std::move(s));
   }
   return out;
}

std::string peer_manager::prefix(const peer& p) const {
   peer_log_fields f;
   f.name = p.last_recv ? p.last_recv->p2p_address : p.address;
   f.peer = p.address;
   f.cid = p.id;
   f.ip = p.conn->remote_ip();
   f.port = p.conn->remote_port();
   return expand_peer_log_format(cfg_.peer_log_format, f);
}

// ---- protocol helpers -----------------------------------------------------------------------

handshake_chain_info peer_manager::chain_info() const {
   handshake_chain_info c;
   c.lib_num = chain_.last_irreversible_block_num();
   c.lib_id = chain_.last_irreversible()->id();
   c.head_num = chain_.fork_db_head()->block_num();
   c.head_id = chain_.fork_db_head()->id();
   return c;
}

void peer_manager::send_handshake(peer& p) {
   if (!p.conn->is_open())
      return;
   if (auto m = p.hs.next(cfg_.identity, chain_info(), p.kind, clock_.now())) {
      log_.debug("net", "{}sending handshake generation {} lib {} head {}", prefix(p), m->generation,
                 m->last_irreversible_block_num, m->head_num);
      p.conn->send_message(net_message(std::move(*m)));
      sync_.upsert_peer(sync_snapshot(p));
   }
}

void peer_manager::send_ping(peer& p) {
   if (auto m = start_ping(p.ts, clock_.now()))
      p.conn->send_message(net_message(*m));
}

sync_peer peer_manager::sync_snapshot(const peer& p) const {
   sync_peer s;
   s.connection_id = p.id;
   s.blocks_connection = p.kind != connection_kind::transactions_only;
   s.connected = p.connected && p.conn->is_open();
   s.handshake_sent = p.hs.sent_count > 0;
   s.has_go_away = p.no_retry != go_away_reason::no_reason;
   if (p.last_recv) {
      s.lib_num = p.last_recv->last_irreversible_block_num;
      s.lib_id = p.last_recv->last_irreversible_block_id;
      s.head_num = p.last_recv->head_num;
      s.head_id = p.last_recv->head_id;
      s.protocol_version = to_protocol_version(p.last_recv->network_version);
      s.generation = p.last_recv->generation;
   }
   if (p.ts.ping)
      s.latency_ns = static_cast<uint64_t>(p.ts.ping->count());
   if (const auto* known = sync_.peer(p.id))
      s.peer_start_block_num = known->peer_start_block_num;
   return s;
}

void peer_manager::run(sync_actions& actions) {
   for (auto& a : actions.items) {
      std::visit(
         [this](auto& act) {
            using T = std::decay_t<decltype(act)>;
            if constexpr (std::is_same_v<T, send_action>) {
               if (auto* p = find(act.connection_id); p && p->conn->is_open()) {
                  if (const auto* sr = std::get_if<sync_request_message>(&act.msg))
                     log_.debug("sync", "{}requesting blocks {} to {}", prefix(*p), sr->start_block, sr->end_block);
                  p->conn->send_message(act.msg);
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
                  send_handshake(*p);
            } else if constexpr (std::is_same_v<T, send_handshakes_all_action>) {
               for (auto& [cid, p] : peers_)
                  if (p->connected)
                     send_handshake(*p);
            }
         },
         a);
   }
   actions.clear();
}

std::vector<dispatch_peer> peer_manager::dispatch_peers() const {
   std::vector<dispatch_peer> out;
   out.reserve(peers_.size());
   for (const auto& [cid, p] : peers_) {
      const auto* s = sync_.peer(cid);
      dispatch_peer d;
      d.connection_id = cid;
      d.current = p->connected && p->conn->is_open() && !(s && s->syncing_from_us);
      d.blocks = p->kind != connection_kind::transactions_only;
      d.transactions = p->kind != connection_kind::blocks_only && cfg_.identity.accept_transactions;
      out.push_back(d);
   }
   return out;
}

void peer_manager::relay_block(const block_state_ptr& b) {
   if (stopping_)
      return;
   auto peers = dispatch_peers();
   auto to = dispatch_.relay_block(b->id(), peers, sync_.stage() == sync_stage::lib_catchup);
   if (to.empty())
      return;
   // One serialized frame shared by every peer.
   auto frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(*b->block));
   for (auto cid : to)
      if (auto* p = find(cid)) {
         p->conn->send(frame);
         p->last_block_at = clock_.now();
         ++counters_.relayed_blocks;
      }
}

void peer_manager::relay_transaction(const std::shared_ptr<const packed_transaction>& trx) {
   auto peers = dispatch_peers();
   auto to = dispatch_.relay_transaction(trx->id(), trx->get_transaction().expiration, peers, clock_.now());
   if (to.empty())
      return;
   auto frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(*trx));
   for (auto cid : to)
      if (auto* p = find(cid)) {
         p->conn->send(frame);
         ++counters_.relayed_transactions;
      }
}

void peer_manager::serve_range(peer& p, const serve_plan& plan) {
   if (plan.cancel) {
      p.serve_next = 1;
      p.serve_last = 0;
      p.serve_go_away_after = false;
      return;
   }
   if (plan.empty() && plan.go_away_after) {
      p.no_retry = go_away_reason::benign_other;
      close(p, disconnect_reason::sent(go_away_reason::benign_other, disconnect_op::protocol, "requested blocks unavailable"));
      return;
   }
   p.serve_next = plan.first;
   p.serve_last = plan.last;
   p.serve_since = steady::now();
   p.serve_bytes = 0;
   p.serve_go_away_after = plan.go_away_after;
   log_.debug("sync", "{}serving blocks {} to {}", prefix(p), plan.first, plan.last);
   pump_serving();
}

void peer_manager::pump_serving() {
   bool more = false;
   std::vector<uint32_t> done_go_away;
   for (auto& [cid, pp] : peers_) {
      auto& p = *pp;
      if (!p.conn->is_open())
         continue;
      const double allowed = p.serve_rate
                                ? std::chrono::duration<double>(steady::now() - p.serve_since).count() * double(p.serve_rate) +
                                     double(p.serve_rate) / 10 // a 100 ms burst
                                : 0;
      while (p.serve_next <= p.serve_last && p.conn->queued_bytes() < serve_queue_bytes &&
             (p.serve_rate == 0 || double(p.serve_bytes) < allowed)) {
         auto blk = chain_.fetch_block_by_number(p.serve_next);
         if (!blk) {
            p.serve_last = 0;
            p.serve_next = 1;
            p.serve_go_away_after = true;
            break;
         }
         auto frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(*blk));
         p.serve_bytes += frame->size();
         p.conn->send(std::move(frame), true);
         dispatch_.add_peer_block(blk->calculate_id(), cid);
         p.last_block_at = clock_.now();
         ++p.serve_next;
      }
      if (p.serve_next <= p.serve_last)
         more = true;
      else if (p.serve_go_away_after)
         done_go_away.push_back(cid);
   }
   for (auto cid : done_go_away)
      if (auto* p = find(cid)) {
         p->serve_go_away_after = false;
         p->no_retry = go_away_reason::benign_other;
         close(*p, disconnect_reason::sent(go_away_reason::benign_other, disconnect_op::protocol, "requested block unavailable"));
      }
   if (more)
      arm_serve_timer();
}

// ---- messages -------------------------------------------------------------------------------

void peer_manager::on_message(connection& c, net_message&& m, std::span<const uint8_t> payload) {
   auto* p = find(c.id());
   if (!p)
      return;
   p->last_msg_at = clock_.now();
   if (p->outbound)
      if (auto* o = find_outbound(p->address))
         o->backoff.on_message_received();
   std::visit(
      [&](auto&& msg) {
         using T = std::decay_t<decltype(msg)>;
         if constexpr (std::is_same_v<T, signed_block>)
            handle(*p, std::move(msg), payload);
         else if constexpr (std::is_same_v<T, vote_message> || std::is_same_v<T, block_nack_message> ||
                            std::is_same_v<T, block_notice_message> || std::is_same_v<T, gossip_bp_peers_message> ||
                            std::is_same_v<T, transaction_notice_message>)
            handle_spring(*p, message_index_v<T>);
         else
            handle(*p, std::move(msg));
      },
      std::move(m));
}

void peer_manager::handle(peer& p, handshake_message&& m) {
   handshake_context ctx;
   ctx.own_node_id = cfg_.identity.node_id;
   ctx.chain_id = cfg_.identity.chain_id;
   ctx.listen_address = cfg_.identity.server_address;
   ctx.incoming = !p.outbound;
   ctx.local_net_version = p.hs.net_version;
   ctx.last_handshake_sent_time = p.hs.last_sent.time;
   ctx.sent_handshake_count = p.hs.sent_count;
   ctx.conn_node_id = m.node_id;
   uint32_t inbound_connected = 0;
   for (const auto& [cid, other] : peers_) {
      if (cid == p.id)
         continue;
      if (!other->outbound && other->connected)
         ++inbound_connected;
      peer_connection_view v;
      v.connected = other->connected && other->conn->is_open();
      if (other->last_recv)
         v.node_id = other->last_recv->node_id;
      v.last_handshake_sent_time = other->hs.last_sent.time;
      v.last_handshake_recv_time = other->last_recv ? other->last_recv->time : 0;
      ctx.others.push_back(v);
   }
   // Leap exempts configured block-producer peers from max-clients.
   ctx.connection_limit_exceeded = !p.outbound && cfg_.max_clients != 0 && inbound_connected >= cfg_.max_clients &&
                                   !is_bp_address(m.p2p_address);
   ctx.auth = cfg_.auth;
   ctx.lib_num = chain_.last_irreversible_block_num();
   ctx.block_id_for_num = [this](uint32_t n) { return view_.id_for_num(n); };

   auto r = check_handshake(m, ctx);
   switch (r.verdict) {
   case handshake_verdict::go_away: {
      auto why = disconnect_reason::sent(r.reason, disconnect_op::handshake, r.detail);
      why.go_away_node_id = r.go_away_node_id;
      p.no_retry = r.reason;
      p.last_error = r.detail;
      log_.info("net", "{}handshake refused: {} ({})", prefix(p), enum_name(r.reason), r.detail);
      close(p, std::move(why));
      return;
   }
   case handshake_verdict::disconnect:
      p.last_error = r.detail;
      close(p, disconnect_reason::plain(disconnect_op::limit, r.detail));
      return;
   default: break;
   }
   const bool first = !p.connected;
   p.last_recv = std::move(m);
   p.connected = true;
   if (!p.outbound)
      p.kind = connection_kind_from_address(p.last_recv->p2p_address);
   if (first) {
      log_.info("net", "{}handshake accepted: generation {} lib {} head {} agent \"{}\"", prefix(p),
                p.last_recv->generation, p.last_recv->last_irreversible_block_num, p.last_recv->head_num,
                p.last_recv->agent);
      peer_events(peer_event{true, p.id, p.address, {}});
   }
   if (r.verdict == handshake_verdict::accept_downgrade) {
      p.hs.downgrade_to_explicit_sync();
      send_handshake(p);
   } else if (r.verdict == handshake_verdict::accept_send_handshake) {
      send_handshake(p);
   }
   sync_actions actions;
   auto snap = sync_snapshot(p);
   sync_.upsert_peer(snap);
   sync_.recv_handshake(snap, steady::now(), actions);
   run(actions);
}

void peer_manager::handle(peer&, chain_size_message&&) {}

void peer_manager::handle(peer& p, go_away_message&& m) {
   auto outcome = on_go_away_received(p.no_retry, m);
   p.no_retry = outcome.no_retry;
   p.last_error = fmt::format("go_away {} received", enum_name(m.reason));
   close(p, disconnect_reason::received(m.reason, std::string(reason_str(m.reason))));
}

void peer_manager::handle(peer& p, time_message&& m) {
   auto r = on_time_message(p.ts, m, clock_.now(), p.last_recv.has_value());
   if (r.reply)
      p.conn->send_message(net_message(*r.reply));
   if (r.latency)
      sync_.upsert_peer(sync_snapshot(p));
   if (r.offset_excessive && r.offset_ns)
      log_.debug("net", "{}clock offset {} ms", prefix(p), *r.offset_ns / 1'000'000);
   if (r.send_handshake)
      send_handshake(p);
   if (r.ping)
      p.conn->send_message(net_message(*r.ping));
}

void peer_manager::handle(peer& p, notice_message&& m) {
   if (!p.connected)
      return;
   sync_actions actions;
   sync_.recv_notice(p.id, m, steady::now(), actions);
   run(actions);
}

void peer_manager::handle(peer& p, request_message&& m) {
   if (auto bad = invalid_request(m)) {
      close(p, disconnect_reason::plain(disconnect_op::protocol, *bad));
      return;
   }
   if (!p.connected)
      return;
   switch (m.req_blocks.mode) {
   case id_list_mode::catch_up: {
      std::optional<block_id_type> head;
      if (!m.req_blocks.ids.empty())
         head = m.req_blocks.ids.back();
      serve_range(p, plan_catch_up_response(view_, head, p.last_recv ? p.last_recv->last_irreversible_block_num : 0));
      break;
   }
   case id_list_mode::normal:
      // Leap answers a single id with that block (the fork-db or log copy).
      if (m.req_blocks.ids.size() == 1) {
         if (auto blk = chain_.fetch_block_by_id(m.req_blocks.ids.front())) {
            p.conn->send(std::make_shared<const std::vector<uint8_t>>(encode_frame(*blk)), true);
            dispatch_.add_peer_block(m.req_blocks.ids.front(), p.id);
         }
      }
      break;
   case id_list_mode::none:
   case id_list_mode::last_irr_catch_up: break;
   }
}

void peer_manager::handle(peer& p, sync_request_message&& m) {
   if (!p.connected)
      return;
   if (m.start_block == 0 && m.end_block == 0) {
      serve_range(p, serve_plan{true, 1, 0, false});
      return;
   }
   serve_range(p, plan_sync_request_response(view_, m.start_block, m.end_block));
}

void peer_manager::handle(peer& p, signed_block&& m, std::span<const uint8_t>) {
   if (!p.connected)
      return;
   const auto id = m.calculate_id();
   const uint32_t num = m.block_num();
   ++counters_.received_blocks;
   p.last_block_at = clock_.now();
   p.last_received_block = num;
   dispatch_.add_peer_block(id, p.id);
   sync_actions actions;
   const auto now = steady::now();
   if (view_.knows_block(id)) {
      sync_.on_block(p.id, id, num, false, now, actions);
      run(actions);
      return;
   }
   if (num <= chain_.last_irreversible_block_num()) {
      if (!sync_.syncing_from_peer()) {
         p.conn->send_message(net_message(sync_request_message{0, 0}));
         send_handshake(p);
      }
      return;
   }
   auto blk = std::make_shared<const signed_block>(std::move(m));
   if (sync_.stage() == sync_stage::lib_catchup || !sync_blocks_.empty()) {
      sync_.on_block(p.id, id, num, false, now, actions); // the range advances on receipt
      run(actions);
      // Catching up: recover the block's signatures on the pool now, apply it in order once
      // they are ready, so recovery for the blocks behind it runs while this one is applied.
      chain_.prefetch_block_keys(blk);
      sync_blocks_.push_back({std::move(blk), id, num, p.id});
      drain_sync_blocks();
      return;
   }
   apply_received(p.id, blk, id, num, false);
}

void peer_manager::drain_sync_blocks() {
   while (!sync_blocks_.empty() &&
          (sync_blocks_.size() > sync_pipeline_depth || chain_.block_keys_ready(sync_blocks_.front().id))) {
      auto b = std::move(sync_blocks_.front());
      sync_blocks_.pop_front();
      apply_received(b.cid, b.block, b.id, b.num, true);
   }
   if (!sync_blocks_.empty() && !sync_drain_armed_) {
      sync_drain_armed_ = true;
      sync_drain_timer_.expires_after(std::chrono::milliseconds(1));
      sync_drain_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
         if (alive.expired())
            return;
         sync_drain_armed_ = false;
         if (!ec && !stopping_)
            drain_sync_blocks();
      });
   }
}

void peer_manager::apply_received(uint32_t cid, const std::shared_ptr<const signed_block>& blk, const block_id_type& id,
                                  uint32_t num, bool receipt_reported) {
   sync_actions actions;
   const auto now = steady::now();
   const uint32_t head_before = chain_.head()->block_num();
   auto r = chain_.accept_block(blk);
   auto* p = find(cid);
   switch (r.status) {
   case block_status::applied:
   case block_status::forked:
      if (!receipt_reported)
         sync_.on_block(cid, id, num, false, now, actions);
      if (r.status == block_status::applied || chain_.head()->block_num() != head_before)
         sync_.on_block(cid, chain_.head()->id(), chain_.head()->block_num(), true, now, actions);
      break;
   case block_status::duplicate:
   case block_status::old:
      if (!receipt_reported)
         sync_.on_block(cid, id, num, false, now, actions);
      break;
   case block_status::unlinkable:
      log_.debug("net", "{}unlinkable block {} {}", p ? prefix(*p) : std::string(), num, id.to_string());
      if (p && sync_.stage() != sync_stage::lib_catchup)
         send_handshake(*p);
      break;
   case block_status::invalid:
      log_.warn("net", "{}rejected block {}: {}", p ? prefix(*p) : std::string(), num, r.error);
      if (p)
         p->last_error = r.error;
      dispatch_.rejected_block(id);
      sync_.rejected_block(cid, num, now, actions);
      break;
   }
   run(actions);
}

void peer_manager::handle(peer& p, packed_transaction&& m) {
   if (!p.connected)
      return;
   ++counters_.received_transactions;
   if (!cfg_.identity.accept_transactions || sync_.stage() == sync_stage::lib_catchup) {
      ++counters_.dropped_transactions;
      return;
   }
   const auto id = m.id();
   if (dispatch_.add_peer_txn(id, m.get_transaction().expiration, p.id, clock_.now()))
      return; // a duplicate: already known from some connection
   // Evaluated in batches: the transactions of one read (or of several connections' reads)
   // share one pass over the signature-recovery pool.
   pending_trxs_.push_back({std::make_shared<const packed_transaction>(std::move(m)), p.id});
   if (!trx_batch_posted_) {
      trx_batch_posted_ = true;
      asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
         if (!alive.expired())
            process_pending_transactions();
      });
   }
}

void peer_manager::process_pending_transactions() {
   trx_batch_posted_ = false;
   if (stopping_ || pending_trxs_.empty())
      return;
   auto batch = std::move(pending_trxs_);
   pending_trxs_.clear();
   std::vector<std::shared_ptr<const packed_transaction>> trxs;
   trxs.reserve(batch.size());
   for (const auto& b : batch)
      trxs.push_back(b.trx);
   auto results = chain_.push_transactions(trxs);
   for (std::size_t i = 0; i < batch.size(); ++i) {
      if (results[i].accepted)
         relay_transaction(batch[i].trx);
      else if (auto* p = find(batch[i].cid))
         log_.debug("net", "{}transaction {} refused: {}", prefix(*p), results[i].id.to_string(), results[i].error);
   }
}

void peer_manager::handle_spring(peer& p, uint32_t which) {
   // Spring's messages are decoded but not acted on (PROTOCOL.md §0).
   log_.debug("net", "{}ignoring {}", prefix(p), message_type_name(which));
}

// ---- timers ---------------------------------------------------------------------------------

void peer_manager::arm_heartbeat() {
   heartbeat_timer_.expires_after(cfg_.sync.keepalive_interval);
   heartbeat_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
      if (ec || alive.expired() || stopping_)
         return;
      const auto now = clock_.now();
      const bool lib_catchup = sync_.stage() == sync_stage::lib_catchup;
      std::vector<uint32_t> ids;
      for (const auto& [cid, p] : peers_)
         ids.push_back(cid);
      for (auto cid : ids) {
         auto* p = find(cid);
         if (!p || !p->conn->is_open())
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
         case heartbeat_action::send_handshake: send_handshake(*p); break;
         case heartbeat_action::send_ping:
            p->ts.reset();
            send_ping(*p);
            break;
         }
      }
      arm_heartbeat();
   });
}

void peer_manager::arm_sync_timer() {
   sync_timer_.expires_after(sync_tick);
   sync_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
      if (ec || alive.expired() || stopping_)
         return;
      sync_actions actions;
      sync_.on_timer(steady::now(), actions);
      run(actions);
      arm_sync_timer();
   });
}

void peer_manager::arm_expire_timer() {
   expire_timer_.expires_after(expire_period);
   expire_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
      if (ec || alive.expired() || stopping_)
         return;
      dispatch_.expire_txns(clock_.now());
      dispatch_.expire_blocks(chain_.last_irreversible_block_num());
      chain_.drop_expired_transactions();
      arm_expire_timer();
   });
}

void peer_manager::arm_monitor() {
   monitor_timer_.expires_after(cfg_.cleanup_period);
   monitor_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
      if (ec || alive.expired() || stopping_)
         return;
      const auto now = clock_.now();
      for (auto& o : outbound_)
         if (o->connection_id == 0 && !o->dialing &&
             decide_reconnect(o->backoff, o->no_retry, now, cfg_.cleanup_period) == reconnect_decision::connect)
            dial(*o);
      arm_monitor();
   });
}

void peer_manager::arm_serve_timer() {
   if (serve_timer_armed_)
      return;
   serve_timer_armed_ = true;
   serve_timer_.expires_after(std::chrono::milliseconds(2));
   serve_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
      if (alive.expired())
         return;
      serve_timer_armed_ = false;
      if (ec || stopping_)
         return;
      pump_serving();
   });
}

} // namespace core
