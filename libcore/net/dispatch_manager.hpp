#pragma once
/// Leap 5's dispatch_manager bookkeeping (PROTOCOL.md §9): which peer has which block
/// (blk_state) and which transaction ids were seen from or sent to whom (local_txns), and
/// the relay decisions built on them. Socket-free; time is injected. Thread affinity: one thread.
#include "net/net_time.hpp"
#include "types/block.hpp"
#include "types/time_types.hpp"
#include "types/transaction.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <vector>

namespace core {

/// A connection as the relay logic sees it.
struct dispatch_peer {
   uint32_t connection_id = 0;
   bool current = false;      ///< connected and not syncing from us
   bool blocks = true;        ///< carries blocks (not `:trx`)
   bool transactions = true;  ///< carries transactions (not `:blk`)
};

class dispatch_manager {
public:
   /// p2p-dedup-cache-expire-time-sec: longest a transaction id is remembered.
   explicit dispatch_manager(std::chrono::seconds dedup_expire = std::chrono::seconds{10});

   // ---- blk_state ----
   /// Records that connection cid has block id; false if it was already recorded.
   bool add_peer_block(const block_id_type& id, uint32_t cid);
   bool peer_has_block(const block_id_type& id, uint32_t cid) const;
   /// Any connection has (sent or been sent) the block.
   bool have_block(const block_id_type& id) const;
   /// Forgets blocks at or below the LIB (run on LIB advance / every 3 s).
   void expire_blocks(uint32_t lib_num);
   /// Forgets a block that failed validation so it can be received again.
   void rejected_block(const block_id_type& id);
   std::size_t block_entries() const;
   /// Calls f(id, connections that have it) for every block recorded.
   template <class F>
   void for_each_block(F&& f) const {
      for (const auto& [id, cids] : blocks_)
         f(id, cids.size());
   }

   /// Connections to relay a block to: every current block connection that does not have it
   /// yet (recorded as having it now); none while syncing (lib_catchup).
   std::vector<uint32_t> relay_block(const block_id_type& id, std::span<const dispatch_peer> peers, bool lib_catchup);

   // ---- local_txns ----
   /// A transaction arrived from cid. Returns true when the id was already known (a duplicate,
   /// to be dropped); otherwise records (id, cid) expiring at min(expiration, now + dedup time).
   bool add_peer_txn(const transaction_id_type& id, time_point_sec expiration, uint32_t cid, net_time now);
   /// A transaction_notice (protocol 12) from cid: it has transaction `id`, which is then not
   /// sent to it; the id does not count as known here (a full copy from anyone is not a
   /// duplicate). Expires after the dedup time. Returns the entry's size in Spring's accounting
   /// (transaction_entry_bytes for a new id, connection_entry_bytes for a new connection of a
   /// known id, 0 when already recorded).
   std::size_t add_peer_txn_notice(const transaction_id_type& id, uint32_t cid, net_time now);
   /// Spring's trx_full_entry_size (sizeof(node_transaction_state)) and trx_conn_entry_size.
   static constexpr std::size_t transaction_entry_bytes = 72, connection_entry_bytes = 4;
   bool have_txn(const transaction_id_type& id) const;
   bool peer_has_txn(const transaction_id_type& id, uint32_t cid) const;
   /// Drops entries whose expiry is at or before now.
   void expire_txns(net_time now);
   std::size_t txn_entries() const { return txns_.size(); }

   /// Connections to relay an accepted transaction to: current transaction connections that
   /// have not seen it (recorded as having it now).
   std::vector<uint32_t> relay_transaction(const transaction_id_type& id, time_point_sec expiration,
                                           std::span<const dispatch_peer> peers, net_time now);

private:
   net_time expiry_for(time_point_sec expiration, net_time now) const;
   void insert_txn(const transaction_id_type& id, uint32_t cid, net_time expires);

   std::chrono::seconds dedup_expire_;
   /// Ordered by id, which orders by block number (the id's first 4 bytes, big-endian).
   std::map<block_id_type, std::set<uint32_t>> blocks_;
   std::size_t block_entries_ = 0;
   struct txn_key {
      transaction_id_type id;
      uint32_t cid = 0;
      auto operator<=>(const txn_key&) const = default;
   };
   std::map<txn_key, net_time> txns_;
   std::set<txn_key> notice_only_; ///< entries only a transaction_notice made
   std::multimap<net_time, txn_key> txn_expiry_;
};

} // namespace core
