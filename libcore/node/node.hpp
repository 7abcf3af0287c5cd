#pragma once
/// A running p2pnode: the store, the chain controller, the block producer, the peer manager and
/// the control socket, all driven by one io_context on one thread (signature recovery fans out
/// to the controller's pool and joins before returning).
///
/// Lifecycle: open() (store, chain, identity) → start() (listeners, peers, control socket,
/// production) → run() until stop() (from a signal or the control socket) → destruction.
#include "chain/block_producer.hpp"
#include "chain/controller.hpp"
#include "net/net_time.hpp"
#include "net/node_log.hpp"
#include "node/control_server.hpp"
#include "node/control_surface.hpp"
#include "node/data_dir_lock.hpp"
#include "node/controller_chain.hpp"
#include "node/node_clock.hpp"
#include "node/node_config.hpp"
#include "node/peer_manager.hpp"
#include "node/schedule_log.hpp"
#include "store/rocksdb_chain_store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <ostream>

namespace core {

/// The store's folder in a node's data dir: DATA_DIR/chain.
inline constexpr const char* store_dir_name = "chain";

/// The finalizer safety file of a node: <finalizers-dir>/safety.dat (Spring's name and place).
std::filesystem::path finalizer_safety_path(const node_config& cfg);

/// Time: one system_net_clock, read by the log, the peer manager's engine and (through
/// node_chain_clock) the chain.
class node final : public control_surface {
public:
   /// Opens (or creates) the store under DATA_DIR/chain and the chain on it. Errors are one line
   /// (damaged store, genesis mismatch, unreadable genesis file).
   static result<std::unique_ptr<node>> open(const node_config& cfg, std::ostream& log_out);
   ~node() override;

   /// Listens, dials peers, opens the control socket and starts producing. Errors: one line
   /// (address in use, socket path taken).
   result<bool> start();
   /// Runs the event loop until stop(); SIGINT and SIGTERM call stop().
   void run();
   /// Stops everything; safe to call from the loop's thread (control socket, signals).
   void stop();

   // ---- parts ----
   boost::asio::io_context& io() { return io_; }
   controller& chain() { return *chain_; }
   const controller& chain() const { return *chain_; }
   peer_manager& net() { return *net_; }
   const peer_manager& net() const { return *net_; }
   const node_config& config() const { return cfg_; }
   std::vector<name> producers() const;
   uint64_t produced_blocks() const { return produced_; }

   // ---- control_surface (the control socket) ----
   node_status status() const override;
   std::vector<peer_status> peers() const override { return net_->peers(); }
   std::vector<bp_gossip_peer_view> bp_gossip_peers() const override { return net_->protocol().bp_gossip_peers(); }
   sync_status sync_state() const override;
   const peer_counters& counters() const override { return net_->counters(); }
   std::shared_ptr<const signed_block> block_by_num(uint32_t num) const override {
      return chain_->fetch_block_by_number(num);
   }
   std::shared_ptr<const signed_block> block_by_id(const block_id_type& id) const override {
      return chain_->fetch_block_by_id(id);
   }
   result<std::string> connect(const std::string& address) override { return net_->connect(address); }
   result<std::string> disconnect(const std::string& address) override { return net_->disconnect(address); }
   trx_outcome push_transaction(std::shared_ptr<const packed_transaction> trx) override {
      return net_->push_transaction(std::move(trx));
   }
   result<std::string> activate_savanna(const finalizer_policy& policy) override;
   node_log& log() override { return log_; }

private:
   node(const node_config& cfg, std::ostream& log_out);
   /// This node's finalizers (BLS --signature-provider keys) from their safety file, and their
   /// votes to the peers. Error: the file's, in one line.
   result<bool> open_finalizers();
   void arm_slot_timer();
   /// Every LIB commit interval: commits a LIB advance the controller holds back and the
   /// reversible blocks the store holds back.
   void arm_lib_timer();
   void flush_lib();
   /// Every resource-monitor interval: stops store writes when the data dir's filesystem is
   /// over its limits (retry_store resumes them).
   void arm_space_timer();
   void check_store_space();
   /// Why the data dir's filesystem is over the resource-monitor limits; nullopt when it is not.
   std::optional<std::string> store_space_exceeded() const;
   /// The store stopped writing: at most every store_retry_interval, and only with the space
   /// back under the limits, asks the chain to retry (LIB timer).
   void retry_store();
   /// Logs and publishes (watch "store" event) the store stopping or resuming.
   void on_store_state(const std::optional<controller::store_failure>& f);
   /// Publishes a watch "lib" event when the LIB moved since the last one.
   void publish_lib();
   void on_slot();
   void publish(const std::string& line);

   node_config cfg_;
   /// Taken first and released last: no other p2pnode opens the data dir meanwhile.
   std::optional<data_dir_lock> dir_lock_;
   system_net_clock clock_;
   node_chain_clock chain_clock_{clock_};
   node_log log_;
   schedule_log schedule_log_;
   boost::asio::io_context io_;
   std::unique_ptr<rocksdb_chain_store> store_;
   std::unique_ptr<controller> chain_;
   std::unique_ptr<block_producer> producer_;
   std::unique_ptr<controller_chain> chain_view_; ///< the engine's chain, over chain_ and store_
   std::unique_ptr<peer_manager> net_;
   std::unique_ptr<control_server> control_;
   boost::asio::signal_set signals_;
   boost::asio::steady_timer slot_timer_;
   boost::asio::steady_timer lib_timer_;
   boost::asio::steady_timer space_timer_;
   net_time next_store_retry_{}; ///< node clock time of the next retry_store()
   bool stopped_ = false;
   uint64_t produced_ = 0;
   uint32_t last_lib_published_ = 0;
   uint32_t auto_bp_schedule_version_ = 0;
};

} // namespace core
