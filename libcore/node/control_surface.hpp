#pragma once
/// What the control socket may read and do on a running node (p2pctl(1)): control_commands
/// answers every request through this interface alone; node implements it.
/// Thread affinity: the node's thread.
#include "codec/result.hpp"
#include "net/engine.hpp"
#include "net/node_log.hpp"
#include "net/sync_manager.hpp"
#include "types/block.hpp"
#include "types/finality_policies.hpp"
#include "types/name.hpp"
#include "types/transaction.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace core {

/// The node at a glance (p2pctl status).
struct node_status {
   checksum256 chain_id;
   checksum256 node_id;
   uint32_t head_block_num = 0;
   block_id_type head_block_id;
   block_timestamp head_block_time;
   name head_block_producer;
   uint32_t lib_num = 0;
   block_id_type lib_id;
   uint32_t fork_db_head_num = 0;
   block_id_type fork_db_head_id;
   sync_stage stage = sync_stage::in_sync;
   uint16_t network_version = 0;
   std::string agent;
   std::string p2p_address;
   std::size_t peer_count = 0;         ///< connections with a valid handshake
   std::vector<name> producers;        ///< the names this node signs for
   std::vector<name> active_schedule;
   uint32_t active_schedule_version = 0;
   std::size_t unapplied_transactions = 0;
   uint64_t produced_blocks = 0;
   // ---- finality ----
   /// Head minus LIB, in blocks and in block time (ms): hundreds of blocks under DPoS, 2–3
   /// once Savanna finalises.
   uint32_t lib_lag_blocks = 0;
   uint64_t lib_lag_ms = 0;
   bool savanna = false;                        ///< the head is a Savanna block
   /// The newest QC the head claims (Savanna): the block it certifies and whether it is strong.
   std::optional<uint32_t> last_qc_block_num;
   bool last_qc_strong = false;
   std::size_t finalizer_keys = 0;              ///< BLS keys this node votes with
   uint64_t votes_sent = 0;                     ///< votes cast by this node's finalizers
   uint64_t votes_received = 0;                 ///< votes from peers offered to the chain
   uint64_t votes_counted = 0;                  ///< of those, counted towards a QC
   // ---- the store ----
   /// False while the store cannot write (a full disk…): blocks are then neither accepted nor
   /// produced; store_error says why, since when (chain-clock time).
   bool store_available = true;
   std::string store_error;
   std::optional<time_point> store_unavailable_since;
};

/// The sync manager's state (p2pctl sync). The requested range exists only while catching up to
/// a LIB: outside lib_catchup both numbers are absent.
struct sync_status {
   sync_stage stage = sync_stage::in_sync;
   uint32_t known_lib_num = 0;
   std::optional<uint32_t> last_requested_num;
   std::optional<uint32_t> next_expected_num;
   std::optional<uint32_t> sync_source;
   uint32_t head_block_num = 0;
   uint32_t lib_num = 0;
};

class control_surface {
public:
   virtual ~control_surface() = default;

   virtual node_status status() const = 0;
   virtual std::vector<peer_status> peers() const = 0;
   /// The BP peers learnt through gossip (Spring's /v1/net/bp_gossip_peers).
   virtual std::vector<bp_gossip_peer_view> bp_gossip_peers() const = 0;
   virtual sync_status sync_state() const = 0;
   virtual const peer_counters& counters() const = 0;
   /// A block on the node's chain by number or id; null when it has none.
   virtual std::shared_ptr<const signed_block> block_by_num(uint32_t num) const = 0;
   virtual std::shared_ptr<const signed_block> block_by_id(const block_id_type& id) const = 0;

   /// Adds and dials an outbound peer; removes one (no reconnect). Errors are one line.
   virtual result<std::string> connect(const std::string& address) = 0;
   virtual result<std::string> disconnect(const std::string& address) = 0;
   /// Validates, queues and relays a transaction.
   virtual trx_outcome push_transaction(std::shared_ptr<const packed_transaction> trx) = 0;
   /// Switches a legacy chain to Savanna (nodeos: the eosio::setfinalizer action, which calls
   /// set_finalizers): the next block this node produces becomes the Savanna genesis carrying
   /// `policy` (its generation is set to 1). Error: one line (not a producer, already Savanna,
   /// a policy Spring's set_finalizers refuses).
   virtual result<std::string> activate_savanna(const finalizer_policy& policy) = 0;
   /// The node's log (the control socket logs what operators change).
   virtual node_log& log() = 0;
};

} // namespace core
