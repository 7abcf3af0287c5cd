#include "node/peer_manager.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <utility>

namespace core {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::string endpoint_host(const std::string& host) {
   return host.size() > 1 && host.front() == '[' && host.back() == ']' ? host.substr(1, host.size() - 2) : host;
}

} // namespace

peer_manager::peer_manager(asio::io_context& io, engine_chain& chain, peer_manager_config cfg, node_log& log,
                           const net_clock& clock)
   : io_(io), cfg_(std::move(cfg)), log_(log), clock_(clock), engine_(chain, *this, cfg_.engine, log_), wake_timer_(io) {}

peer_manager::~peer_manager() {
   *alive_ = false;
   alive_.reset();
   stop();
}

template <class F>
void peer_manager::with_engine(F&& f) {
   ++depth_;
   const bool was_in_engine = in_engine_;
   in_engine_ = true;
   f();
   in_engine_ = was_in_engine;
   if (--depth_ > 0)
      return;
   ++depth_; // closes performed below report back into the engine; their actions wait their turn
   while (!closed_later_.empty()) {
      auto [cid, why] = std::move(closed_later_.front());
      closed_later_.erase(closed_later_.begin());
      engine_.on_closed(cid, why, clock_.now());
      conns_.erase(cid);
   }
   while (!held_.empty() || engine_.has_actions()) {
      auto batch = std::exchange(held_, {});
      for (auto& a : engine_.take_actions())
         batch.push_back(std::move(a));
      for (auto& a : batch)
         perform(a);
   }
   --depth_;
   arm_wakeup();
}

void peer_manager::send_now() {
   for (auto& a : engine_.take_actions()) {
      if (std::holds_alternative<send_frame>(a))
         perform(a);
      else
         held_.push_back(std::move(a));
   }
}

void peer_manager::perform(engine_action& a) {
   std::visit(
      [this](auto& act) {
         using T = std::decay_t<decltype(act)>;
         if constexpr (std::is_same_v<T, send_frame>) {
            // A local reference: a send or close may report on_closed, which erases the map entry.
            if (auto it = conns_.find(act.to); it != conns_.end())
               std::shared_ptr<connection>(it->second)->send(std::move(act.frame), act.sync_priority);
         } else if constexpr (std::is_same_v<T, close_connection>) {
            if (auto it = conns_.find(act.connection_id); it != conns_.end())
               std::shared_ptr<connection>(it->second)->close(std::move(act.why));
         } else if constexpr (std::is_same_v<T, dial_address>) {
            dial(act.address, act.dial);
         } else if constexpr (std::is_same_v<T, peer_event>) {
            peer_events(act);
         }
      },
      a);
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
   with_engine([&] { engine_.start(clock_.now()); });
   return true;
}

void peer_manager::stop() {
   if (stopping_)
      return;
   wake_timer_.cancel();
   for (auto& a : acceptors_) {
      boost::system::error_code ec;
      a->close(ec);
   }
   with_engine([&] { engine_.stop(); });
   stopping_ = true;
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

std::shared_ptr<connection> peer_manager::add_connection(tcp::socket s, bool outbound) {
   const uint32_t cid = next_cid_++;
   auto c = std::make_shared<connection>(std::move(s), cid, outbound, static_cast<connection_events&>(*this));
   conns_.emplace(cid, c);
   c->start();
   return c;
}

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
   connection_info info;
   info.remote_ip = remote.address().to_string();
   info.remote_port = remote.port();
   info.address = fmt::format("{}:{}", info.remote_ip, info.remote_port);
   if (listener < cfg_.listen_rate_limits.size())
      info.serve_rate = cfg_.listen_rate_limits[listener];
   auto c = add_connection(std::move(s), false);
   with_engine([&] { engine_.on_connected(c->id(), info, clock_.now()); });
}

void peer_manager::dial(const std::string& address, uint64_t dial_id) {
   if (stopping_)
      return;
   const auto parts = split_peer_address(address);
   auto resolver = std::make_shared<tcp::resolver>(io_);
   auto failed = [this, address, dial_id](const boost::system::error_code& ec, bool resolving) {
      with_engine([&] { engine_.on_dial_failed(address, dial_id, ec.message(), resolving, clock_.now()); });
   };
   resolver->async_resolve(
      endpoint_host(parts.host), parts.port,
      [this, resolver, address, dial_id, failed, alive = std::weak_ptr<bool>(alive_)](
         const boost::system::error_code& ec, tcp::resolver::results_type res) {
         if (alive.expired() || stopping_)
            return;
         if (ec)
            return failed(ec, true);
         auto sock = std::make_shared<tcp::socket>(io_);
         asio::async_connect(*sock, res, [this, sock, address, dial_id, failed, alive](
                                            const boost::system::error_code& e, const tcp::endpoint&) {
            if (alive.expired() || stopping_)
               return;
            if (e)
               return failed(e, false);
            auto c = add_connection(std::move(*sock), true);
            connection_info info{true, address, c->remote_ip(), c->remote_port(), 0, dial_id};
            with_engine([&] { engine_.on_connected(c->id(), info, clock_.now()); });
         });
      });
}

void peer_manager::on_message(connection& c, net_message&& m, std::span<const uint8_t>) {
   with_engine([&] { engine_.on_message(c.id(), std::move(m), clock_.now()); });
}

void peer_manager::on_closed(connection& c, const disconnect_reason& why) {
   const uint32_t cid = c.id();
   if (in_engine_) { // a send made inside an engine call closed it: report it once the call returns
      closed_later_.emplace_back(cid, why);
      return;
   }
   with_engine([&] { engine_.on_closed(cid, why, clock_.now()); });
   conns_.erase(cid);
}

std::size_t peer_manager::queued_bytes(uint32_t connection_id) const {
   auto it = conns_.find(connection_id);
   return it == conns_.end() ? 0 : it->second->queued_bytes();
}

// ---- operator requests ----------------------------------------------------------------------

result<std::string> peer_manager::connect(const std::string& address) {
   result<std::string> r = unexpected{std::string()};
   with_engine([&] { r = engine_.connect(address); });
   return r;
}

result<std::string> peer_manager::disconnect(const std::string& address) {
   result<std::string> r = unexpected{std::string()};
   with_engine([&] { r = engine_.disconnect(address); });
   return r;
}

void peer_manager::update_auto_bp_peers(const producer_authority_schedule& schedule) {
   with_engine([&] { engine_.update_auto_bp_peers(schedule); });
}

trx_outcome peer_manager::push_transaction(std::shared_ptr<const packed_transaction> trx) {
   trx_outcome r;
   with_engine([&] { r = engine_.push_transaction(std::move(trx), clock_.now()); });
   return r;
}

void peer_manager::on_block_validated(const std::shared_ptr<const signed_block>& b, const block_id_type& id) {
   // The controller emits this from inside accept_block, so usually inside an engine call whose
   // actions wait for it to return, after the block is applied. The relay must not wait (§9:
   // it goes out before application, which takes milliseconds): its frames go to their sockets
   // now, and any other queued action keeps its turn.
   with_engine([&] {
      engine_.on_block_validated(b, id, clock_.now());
      send_now();
   });
}

void peer_manager::broadcast_vote(const vote_message& v) {
   // Emitted from inside block application, like on_block_validated: the vote goes out now.
   with_engine([&] {
      engine_.broadcast_vote(v, clock_.now());
      send_now();
   });
}

std::vector<peer_status> peer_manager::peers() const {
   auto out = engine_.peers();
   for (auto& s : out) {
      auto it = conns_.find(s.connection_id);
      if (s.connection_id == 0 || it == conns_.end())
         continue;
      s.is_socket_open = it->second->is_open();
      s.bytes_received = it->second->bytes_received();
      s.bytes_sent = it->second->bytes_sent();
      s.write_queue_bytes = it->second->queued_bytes();
      s.write_queue_high_water = it->second->queued_bytes_high_water();
   }
   return out;
}

// ---- the engine's timer ---------------------------------------------------------------------

void peer_manager::arm_wakeup() {
   const auto next = engine_.next_tick();
   if (!next || stopping_)
      return;
   const auto now = clock_.now();
   if (*next <= now) {
      // Work due now (a batch of received transactions): after the handlers already queued.
      if (!tick_posted_) {
         tick_posted_ = true;
         asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
            if (alive.expired())
               return;
            tick_posted_ = false;
            tick();
         });
      }
      return;
   }
   if (wake_at_ && *wake_at_ <= *next)
      return;
   wake_at_ = *next;
   wake_timer_.expires_after(*next - now);
   wake_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
      if (ec || alive.expired())
         return;
      wake_at_.reset();
      tick();
   });
}

void peer_manager::tick() {
   if (stopping_)
      return;
   with_engine([&] { engine_.on_tick(clock_.now()); });
}

} // namespace core
