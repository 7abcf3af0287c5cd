#include "net/dispatch_manager.hpp"

#include <algorithm>

namespace core {

dispatch_manager::dispatch_manager(std::chrono::seconds dedup_expire) : dedup_expire_(dedup_expire) {}

bool dispatch_manager::add_peer_block(const block_id_type& id, uint32_t cid) {
   const bool added = blocks_[id].insert(cid).second;
   if (added)
      ++block_entries_;
   return added;
}

bool dispatch_manager::peer_has_block(const block_id_type& id, uint32_t cid) const {
   auto it = blocks_.find(id);
   return it != blocks_.end() && it->second.contains(cid);
}

bool dispatch_manager::have_block(const block_id_type& id) const { return blocks_.contains(id); }

void dispatch_manager::expire_blocks(uint32_t lib_num) {
   auto it = blocks_.begin();
   while (it != blocks_.end() && block_num_from_id(it->first) <= lib_num) {
      block_entries_ -= it->second.size();
      it = blocks_.erase(it);
   }
}

void dispatch_manager::rejected_block(const block_id_type& id) {
   if (auto it = blocks_.find(id); it != blocks_.end()) {
      block_entries_ -= it->second.size();
      blocks_.erase(it);
   }
}

std::size_t dispatch_manager::block_entries() const { return block_entries_; }

std::vector<uint32_t> dispatch_manager::relay_block(const block_id_type& id, std::span<const dispatch_peer> peers,
                                                    bool lib_catchup) {
   std::vector<uint32_t> to;
   if (lib_catchup)
      return to;
   for (const auto& p : peers)
      if (p.current && p.blocks && add_peer_block(id, p.connection_id))
         to.push_back(p.connection_id);
   return to;
}

net_time dispatch_manager::expiry_for(time_point_sec expiration, net_time now) const {
   const net_time trx_expires = std::chrono::seconds{expiration.secs};
   return std::min(trx_expires, now + net_time{dedup_expire_});
}

void dispatch_manager::insert_txn(const transaction_id_type& id, uint32_t cid, net_time expires) {
   if (txns_.emplace(txn_key{id, cid}, expires).second)
      txn_expiry_.emplace(expires, txn_key{id, cid});
}

bool dispatch_manager::add_peer_txn(const transaction_id_type& id, time_point_sec expiration, uint32_t cid,
                                    net_time now) {
   if (have_txn(id))
      return true;
   notice_only_.erase(txn_key{id, cid}); // it sent the notice, now the transaction
   insert_txn(id, cid, expiry_for(expiration, now));
   return false;
}

std::size_t dispatch_manager::add_peer_txn_notice(const transaction_id_type& id, uint32_t cid, net_time now) {
   const txn_key k{id, cid};
   if (txns_.contains(k))
      return 0;
   auto first = txns_.lower_bound(txn_key{id, 0});
   const bool known = first != txns_.end() && first->first.id == id;
   insert_txn(id, cid, now + net_time{dedup_expire_});
   notice_only_.insert(k);
   return known ? connection_entry_bytes : transaction_entry_bytes;
}

bool dispatch_manager::have_txn(const transaction_id_type& id) const {
   for (auto it = txns_.lower_bound(txn_key{id, 0}); it != txns_.end() && it->first.id == id; ++it)
      if (notice_only_.empty() || !notice_only_.contains(it->first))
         return true;
   return false;
}

bool dispatch_manager::peer_has_txn(const transaction_id_type& id, uint32_t cid) const {
   return txns_.contains(txn_key{id, cid});
}

void dispatch_manager::expire_txns(net_time now) {
   auto end = txn_expiry_.upper_bound(now);
   for (auto it = txn_expiry_.begin(); it != end; ++it) {
      txns_.erase(it->second);
      notice_only_.erase(it->second);
   }
   txn_expiry_.erase(txn_expiry_.begin(), end);
}

std::vector<uint32_t> dispatch_manager::relay_transaction(const transaction_id_type& id, time_point_sec expiration,
                                                          std::span<const dispatch_peer> peers, net_time now) {
   std::vector<uint32_t> to;
   const net_time expires = expiry_for(expiration, now);
   for (const auto& p : peers) {
      if (!p.current || !p.transactions || peer_has_txn(id, p.connection_id))
         continue;
      insert_txn(id, p.connection_id, expires);
      to.push_back(p.connection_id);
   }
   return to;
}

} // namespace core
