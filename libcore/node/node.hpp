#pragma once
/// A running p2pnode: the store, the chain controller, the block producer, the peer manager and
/// the control socket, all driven by one io_context on one thread (signature recovery fans out
/// to the controller's pool and joins before returning).
///
/// Lifecycle: open() (store, chain, identity) → start() (listeners, peers, control socket,
/// production) → run() until stop() (from a signal or the control socket) → destruction.
#include "chain/block_producer.hpp"
#include "chain/clock.hpp"
#include "chain/controller.hpp"
#include "net/net_time.hpp"
#include "node/control_server.hpp"
#include "node/node_config.hpp"
#include "node/node_log.hpp"
#include "node/peer_manager.hpp"
#include "node/schedule_log.hpp"
#include "store/rocksdb_chain_store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <ostream>

namespace core {

class node {
public:
   /// Opens (or creates) the store under DATA_DIR/chain and the chain on it. Errors are one line
   /// (damaged store, genesis mismatch, unreadable genesis file).
   static result<std::unique_ptr<node>> open(const node_config& cfg, std::ostream& log_out);
   ~node();

   /// Listens, dials peers, opens the control socket and starts producing. Errors: one line
   /// (address in use, socket path taken).
   result<bool> start();
   /// Runs the event loop until stop(); SIGINT and SIGTERM call stop().
   void run();
   /// Stops everything; safe to call from the loop's thread (control socket, signals).
   void stop();

   // ---- for the control socket ----
   boost::asio::io_context& io() { return io_; }
   controller& chain() { return *chain_; }
   const controller& chain() const { return *chain_; }
   peer_manager& net() { return *net_; }
   const peer_manager& net() const { return *net_; }
   const node_config& config() const { return cfg_; }
   node_log& log() { return log_; }
   std::vector<name> producers() const;
   uint64_t produced_blocks() const { return produced_; }
   std::chrono::system_clock::time_point started_at() const { return started_at_; }

private:
   node(const node_config& cfg, std::ostream& log_out);
   void arm_slot_timer();
   /// Every LIB commit interval: commits a LIB advance the controller holds back and the
   /// reversible blocks the store holds back.
   void arm_lib_timer();
   void flush_lib();
   /// Publishes a watch "lib" event when the LIB moved since the last one.
   void publish_lib();
   void on_slot();
   void publish(const std::string& line);

   node_config cfg_;
   node_log log_;
   schedule_log schedule_log_;
   boost::asio::io_context io_;
   system_chain_clock chain_clock_;
   system_net_clock net_clock_;
   std::unique_ptr<rocksdb_chain_store> store_;
   std::unique_ptr<controller> chain_;
   std::unique_ptr<block_producer> producer_;
   std::unique_ptr<peer_manager> net_;
   std::unique_ptr<control_server> control_;
   boost::asio::signal_set signals_;
   boost::asio::steady_timer slot_timer_;
   boost::asio::steady_timer lib_timer_;
   bool stopped_ = false;
   uint64_t produced_ = 0;
   uint32_t last_lib_published_ = 0;
   uint32_t auto_bp_schedule_version_ = 0;
   std::chrono::system_clock::time_point started_at_ = std::chrono::system_clock::now();
};

} // namespace core
