#pragma once
/// The net plugin's Asio shell around the protocol engine (net/engine.hpp). It listens on every
/// p2p-listen-endpoint, resolves and connects what the engine asks to dial, owns the
/// connections (net/connection), and hands every accept, decoded message, close and timer tick
/// to the engine with the node clock's time, then performs the actions the engine queued. It
/// holds no protocol rule: those are the engine's, tested there in virtual time.
///
/// Thread affinity: one thread — the one running the io_context — calls every member.
#include "chain/signal.hpp"
#include "net/connection.hpp"
#include "net/engine.hpp"
#include "net/net_time.hpp"
#include "net/node_log.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace core {

struct peer_manager_config {
   engine_config engine;
   std::vector<std::string> listen; ///< host:port
   /// Per listen endpoint: bytes/s of sync blocks served to each connection it accepts (0 = no cap).
   std::vector<uint64_t> listen_rate_limits;
};

class peer_manager final : private connection_events, private transport_view {
public:
   /// The engine reaches the chain through `chain` alone (node/controller_chain over the controller).
   peer_manager(boost::asio::io_context& io, engine_chain& chain, peer_manager_config cfg, node_log& log,
                const net_clock& clock);
   ~peer_manager() override;
   peer_manager(const peer_manager&) = delete;
   peer_manager& operator=(const peer_manager&) = delete;

   /// Opens the listeners (an error names the endpoint) and starts the engine, which dials the
   /// configured peers.
   result<bool> start();
   /// Closes the listeners and every connection and stops the timer. Closes finish
   /// asynchronously: run the io_context until it is idle before destroying the manager.
   void stop();

   // ---- operator requests (engine.hpp) ----
   result<std::string> connect(const std::string& address);
   result<std::string> disconnect(const std::string& address);
   void update_auto_bp_peers(const producer_authority_schedule& schedule);
   trx_outcome push_transaction(std::shared_ptr<const packed_transaction> trx);
   /// The chain validated b's header (the controller's accepted_block_header, for received and
   /// produced blocks alike): the engine relays it (§9).
   void on_block_validated(const std::shared_ptr<const signed_block>& b, const block_id_type& id);
   /// A vote of this node's finalizers (already durable in the safety file): to the peers now.
   void broadcast_vote(const vote_message& v);

   // ---- state ----
   /// The engine's view of every connection, with the sockets' byte counts.
   std::vector<peer_status> peers() const;
   const engine& protocol() const { return engine_; }
   const sync_manager& sync() const { return engine_.sync(); }
   const peer_identity& identity() const { return engine_.identity(); }
   const peer_counters& counters() const { return engine_.counters(); }
   std::size_t connection_count() const { return engine_.connection_count(); }
   std::size_t inbound_count() const { return engine_.inbound_count(); }
   std::string p2p_address() const { return engine_.p2p_address(); }
   /// Bound listen endpoints (useful with port 0).
   std::vector<boost::asio::ip::tcp::endpoint> listen_endpoints() const;

   signal<const peer_event&> peer_events;

private:
   // connection_events
   void on_message(connection& c, net_message&& m, std::span<const uint8_t> payload) override;
   void on_closed(connection& c, const disconnect_reason& why) override;
   // transport_view
   std::size_t queued_bytes(uint32_t connection_id) const override;

   void start_accept(std::size_t listener);
   void on_accepted(boost::asio::ip::tcp::socket s, std::size_t listener);
   void dial(const std::string& address, uint64_t dial_id);
   std::shared_ptr<connection> add_connection(boost::asio::ip::tcp::socket s, bool outbound);
   /// Calls into the engine; the outermost call then performs the queued actions and arms the
   /// wake-up for the engine's next tick.
   template <class F>
   void with_engine(F&& f);
   void perform(engine_action& a);
   /// Performs the engine's queued sends at once; holds its other actions for the outer call.
   void send_now();
   void arm_wakeup();
   void tick();

   boost::asio::io_context& io_;
   peer_manager_config cfg_;
   node_log& log_;
   const net_clock& clock_;
   engine engine_;
   std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
   std::map<uint32_t, std::shared_ptr<connection>> conns_;
   uint32_t next_cid_ = 1;
   int depth_ = 0; ///< engine calls in progress (they nest through the chain's signals)
   bool in_engine_ = false; ///< inside an engine call: a close is reported after it
   std::vector<engine_action> held_; ///< actions send_now() left for the outer call, in order
   std::vector<std::pair<uint32_t, disconnect_reason>> closed_later_;
   bool stopping_ = false;
   boost::asio::steady_timer wake_timer_;
   std::optional<net_time> wake_at_; ///< when the armed wake_timer_ fires
   bool tick_posted_ = false;
   std::shared_ptr<bool> alive_ = std::make_shared<bool>(true); ///< guards callbacks after destruction
};

} // namespace core
