#pragma once
/// The net plugin: every peer connection of a running node and the protocol around them
/// (PROTOCOL.md §7–§9). It composes the socket layer (connection), the pure protocol pieces
/// (handshake_checks, peer_identity, peer_timing, go_away_policy, sync_manager, sync_serve,
/// dispatch_manager) and the chain controller, and is the only place they meet.
///
/// Listens on every p2p-listen-endpoint, dials every p2p-peer-address (reconnecting with §7's
/// back-off), validates handshakes, answers time_messages and runs the heartbeat, syncs from
/// several peers, serves sync requests, and relays blocks (after header validation, from the
/// controller's accepted_block_header signal) and transactions. Every received message goes
/// through one exhaustive std::visit; every disconnect goes through connection::close and is
/// logged once in on_closed.
///
/// Thread affinity: one thread — the one running the io_context — calls every member.
#include "chain/controller.hpp"
#include "chain/signal.hpp"
#include "net/connection.hpp"
#include "net/dispatch_manager.hpp"
#include "net/go_away_policy.hpp"
#include "net/handshake_checks.hpp"
#include "net/net_time.hpp"
#include "net/peer_identity.hpp"
#include "net/peer_timing.hpp"
#include "net/sync_manager.hpp"
#include "net/sync_serve.hpp"
#include "node/chain_sync_view.hpp"
#include "node/node_log.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace core {

struct peer_manager_config {
   peer_identity identity;
   std::vector<std::string> listen;        ///< host:port
   /// Per listen endpoint: bytes/s of sync blocks served to each connection it accepts (0 = no cap).
   std::vector<uint64_t> listen_rate_limits;
   std::vector<std::string> peers;         ///< host:port[:trx|:blk]
   uint32_t max_clients = 25;              ///< inbound connections; 0 = unlimited
   uint32_t max_nodes_per_host = 1;        ///< inbound connections from one IP
   auth_config auth;
   std::chrono::seconds cleanup_period{30};
   std::chrono::seconds dedup_expire{10};
   sync_config sync;
   /// p2p-auto-bp-peer: account → host:port of block producers to connect to while they are
   /// within two schedule positions of one of `own_producers`.
   std::vector<std::pair<name, std::string>> auto_bp_peers;
   std::set<name> own_producers;
   std::string peer_log_format = "[\"${_name}\" - ${_cid} ${_ip}:${_port}] ";
};

/// One connection as p2pctl peers / net_api connections show it.
struct peer_status {
   uint32_t connection_id = 0;
   std::string peer;            ///< configured address (outbound) or "ip:port"
   std::string remote_ip;
   uint16_t remote_port = 0;
   bool outbound = false;
   bool connecting = false;
   bool syncing = false;        ///< we are syncing from it (it is the sync source)
   bool is_bp_peer = false;
   bool is_socket_open = false;
   bool is_blocks_only = false;
   bool is_transactions_only = false;
   std::chrono::system_clock::time_point connected_at{};
   uint64_t bytes_received = 0;
   uint64_t bytes_sent = 0;
   std::optional<double> latency_ms;
   uint32_t last_received_block = 0;
   std::string last_error;
   std::optional<handshake_message> last_handshake;
};

/// A peer connected or closed (for the control socket's watch).
struct peer_event {
   bool connected = false; ///< false: closed
   uint32_t connection_id = 0;
   std::string peer;
   std::string reason;     ///< closed: the disconnect reason
};

struct peer_counters {
   uint64_t failed_connections = 0; ///< outbound dials that failed
   uint64_t dropped_transactions = 0;
   uint64_t relayed_blocks = 0;
   uint64_t relayed_transactions = 0;
   uint64_t received_blocks = 0;
   uint64_t received_transactions = 0;
};

class peer_manager final : private connection_events {
public:
   peer_manager(boost::asio::io_context& io, controller& chain, const chain_store& store, peer_manager_config cfg,
                node_log& log, const net_clock& clock);
   ~peer_manager() override;
   peer_manager(const peer_manager&) = delete;
   peer_manager& operator=(const peer_manager&) = delete;

   /// Opens the listeners (an error names the endpoint), dials the configured peers and starts
   /// the timers.
   result<bool> start();
   /// Closes the listeners and every connection (a plain close, as nodeos does on shutdown) and
   /// stops the timers. Closes finish asynchronously: run the io_context until it is idle before
   /// destroying the manager.
   void stop();

   // ---- operator requests (control socket) ----
   /// Adds an outbound peer and dials it; "already connected" when it is configured.
   result<std::string> connect(const std::string& address);
   /// Removes an outbound peer (no reconnect) and closes its connection.
   result<std::string> disconnect(const std::string& address);
   /// p2p-auto-bp-peer: connects to the configured producers within two positions of ours in
   /// `schedule` and drops the automatic connections to those no longer there (Leap 5's
   /// auto_bp_peering). Called when the schedule changes.
   void update_auto_bp_peers(const producer_authority_schedule& schedule);
   /// A transaction from the local operator: validated by the chain and relayed to every peer.
   transaction_result push_transaction(std::shared_ptr<const packed_transaction> trx);

   // ---- state ----
   std::vector<peer_status> peers() const;
   const sync_manager& sync() const { return sync_; }
   const peer_identity& identity() const { return cfg_.identity; }
   const peer_counters& counters() const { return counters_; }
   std::size_t connection_count() const;        ///< connections with a valid handshake
   std::size_t inbound_count() const;           ///< accepted connections (open)
   std::string p2p_address() const { return handshake_p2p_address(cfg_.identity, connection_kind::both); }
   /// Bound listen endpoints (useful with port 0).
   std::vector<boost::asio::ip::tcp::endpoint> listen_endpoints() const;

   signal<const peer_event&> peer_events;

private:
   struct peer;
   struct outbound_peer {
      std::string address; ///< as configured
      peer_address_parts parts;
      reconnect_backoff backoff;
      go_away_reason no_retry = go_away_reason::no_reason;
      uint32_t connection_id = 0; ///< active connection (0 = none)
      bool dialing = false;
      std::string last_error;
      bool auto_bp = false; ///< added by update_auto_bp_peers (removed by it too)
   };

   // connection_events
   void on_message(connection& c, net_message&& m, std::span<const uint8_t> payload) override;
   void on_closed(connection& c, const disconnect_reason& why) override;

   // message handlers (one per net_message alternative)
   void handle(peer& p, handshake_message&& m);
   void handle(peer& p, chain_size_message&& m);
   void handle(peer& p, go_away_message&& m);
   void handle(peer& p, time_message&& m);
   void handle(peer& p, notice_message&& m);
   void handle(peer& p, request_message&& m);
   void handle(peer& p, sync_request_message&& m);
   void handle(peer& p, signed_block&& m, std::span<const uint8_t> payload);
   void handle(peer& p, packed_transaction&& m);
   void handle_spring(peer& p, uint32_t which);
   void process_pending_transactions();
   /// Applies a received block and feeds the outcome to the sync manager (`receipt_reported`:
   /// its receipt was already counted as sync progress).
   void apply_received(uint32_t cid, const std::shared_ptr<const signed_block>& blk, const block_id_type& id,
                       uint32_t num, bool receipt_reported);
   /// Applies queued sync blocks whose signatures are recovered (all beyond the pipeline depth).
   void drain_sync_blocks();

   // connections
   void start_accept(std::size_t listener);
   void on_accepted(boost::asio::ip::tcp::socket s, std::size_t listener);
   void dial(outbound_peer& o);
   void dial_failed(const std::string& address, const std::string& why);
   /// Dials `address` again shortly if §7's reconnect rules allow it then.
   void schedule_reconnect(const std::string& address);
   peer& add_connection(boost::asio::ip::tcp::socket s, bool outbound, const std::string& address);
   peer* find(uint32_t cid);
   outbound_peer* find_outbound(const std::string& address);
   void close(peer& p, disconnect_reason why);

   // protocol helpers
   handshake_chain_info chain_info() const;
   void send_handshake(peer& p);
   void send_ping(peer& p);
   sync_peer sync_snapshot(const peer& p) const;
   void run(sync_actions& actions);
   std::vector<dispatch_peer> dispatch_peers() const;
   void relay_block(const block_state_ptr& b);
   void relay_transaction(const std::shared_ptr<const packed_transaction>& trx);
   void serve_range(peer& p, const serve_plan& plan);
   void pump_serving();
   std::string prefix(const peer& p) const;
   /// The address is a configured p2p-auto-bp-peer (host:port, any suffix ignored).
   bool is_bp_address(std::string_view address) const;

   // timers
   void arm_heartbeat();
   void arm_sync_timer();
   void arm_expire_timer();
   void arm_monitor();
   void arm_serve_timer();

   boost::asio::io_context& io_;
   controller& chain_;
   const chain_store& store_;
   peer_manager_config cfg_;
   node_log& log_;
   const net_clock& clock_;
   chain_sync_view view_;
   sync_manager sync_;
   dispatch_manager dispatch_;
   peer_counters counters_;

   std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
   std::map<uint32_t, std::unique_ptr<peer>> peers_;
   std::vector<std::unique_ptr<outbound_peer>> outbound_;
   uint32_t next_cid_ = 1;
   bool stopping_ = false;
   bool serve_timer_armed_ = false;
   struct pending_trx {
      std::shared_ptr<const packed_transaction> trx;
      uint32_t cid = 0;
   };
   std::vector<pending_trx> pending_trxs_; ///< received, not yet evaluated
   struct sync_block {
      std::shared_ptr<const signed_block> block;
      block_id_type id;
      uint32_t num = 0;
      uint32_t cid = 0;
   };
   /// Blocks received while catching up, in arrival order, their signatures being recovered.
   std::deque<sync_block> sync_blocks_;
   /// Blocks whose recovery may run ahead of the one being applied.
   static constexpr std::size_t sync_pipeline_depth = 128;
   bool sync_drain_armed_ = false;
   bool trx_batch_posted_ = false;

   boost::asio::steady_timer heartbeat_timer_, sync_timer_, expire_timer_, monitor_timer_, serve_timer_, sync_drain_timer_;
   std::shared_ptr<bool> alive_ = std::make_shared<bool>(true); ///< guards callbacks after destruction
};

} // namespace core
