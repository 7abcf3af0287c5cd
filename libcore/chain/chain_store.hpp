#pragma once
/// What the controller needs from persistent storage. The RocksDB implementation lives in the
/// store layer (libcore/store); memory_chain_store (below) serves tests and tools.
///
/// Consistency contract: commit_lib() is atomic and durable (one synced write) — after a crash
/// at any moment, reopening yields the state of the last completed commit_lib(): no gap in the
/// irreversible blocks, no torn block, nothing irreversible lost. put_reversible() is
/// best-effort (not synced, and a store may hold it back until the next commit_lib() or
/// persist_reversible(), skipping blocks made irreversible meanwhile): reversible blocks may be
/// lost in a crash and are fetched again.
#include "chain/block_state.hpp"
#include "codec/result.hpp"
#include "types/genesis.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace core {

struct chain_metadata {
   genesis_state genesis;
   checksum256 chain_id;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(genesis), CEREAL_NVP(chain_id));
   }
   bool operator==(const chain_metadata&) const = default;
};

/// One LIB advance, written as a single atomic, synced batch.
struct lib_commit {
   /// Blocks becoming irreversible, in ascending block order, contiguous after the current LIB.
   std::vector<block_state_ptr> irreversible;
   /// Reversible blocks to forget (those now irreversible and every pruned branch).
   std::vector<block_id_type> removed_reversible;
   /// Ids of transactions included in the new irreversible blocks, with their expirations
   /// (the persisted duplicate-transaction index).
   std::vector<std::pair<transaction_id_type, time_point_sec>> included_trxs;
   /// Entries of the duplicate index that expired at or before this time may be dropped.
   time_point_sec expired_before;
};

class chain_store {
public:
   virtual ~chain_store() = default;

   /// Metadata of an initialised store; nullopt for a new, empty store.
   virtual std::optional<chain_metadata> metadata() const = 0;
   /// Initialises an empty store: metadata, block 1 (irreversible) and its state as the root.
   virtual result<bool> initialize(const chain_metadata& meta, const block_state& genesis) = 0;

   /// State of the last irreversible block (the fork database root).
   virtual std::optional<block_header_state> lib_state() const = 0;
   /// Number of the first irreversible block kept (1 unless trimmed).
   virtual uint32_t first_block_num() const = 0;
   /// Number of the last irreversible block.
   virtual uint32_t lib_num() const = 0;

   /// Irreversible block by number / id; nullptr when absent.
   virtual std::shared_ptr<const signed_block> block_by_num(uint32_t num) const = 0;
   virtual std::optional<block_id_type> id_by_num(uint32_t num) const = 0;
   virtual std::optional<uint32_t> num_by_id(const block_id_type& id) const = 0;

   /// Reversible blocks with their states, for rebuilding the fork database on open.
   virtual void put_reversible(const block_state& b) = 0;
   virtual std::vector<block_state_ptr> load_reversible() const = 0;

   /// Writes the reversible blocks put_reversible() held back (unsynced). Error: one line.
   virtual result<bool> persist_reversible() { return true; }

   /// Atomic, synced LIB advance (with the held-back reversible blocks still reversible).
   /// A failed commit changes nothing: the same commit may be retried.
   virtual result<bool> commit_lib(const lib_commit& c) = 0;

   /// After a failed write: clears the store's error state so that writes may be tried again
   /// (space was freed, the filesystem is writable again). Error: the store still cannot write.
   virtual result<bool> recover() { return true; }

   /// Whether an irreversible transaction with this id is in the duplicate index.
   /// (`expiration` is the transaction's own: an id covers it, so the index is keyed by both.)
   virtual bool has_transaction(const transaction_id_type& id, time_point_sec expiration) const = 0;
};

/// In-memory chain_store with the same semantics (minus durability).
class memory_chain_store final : public chain_store {
public:
   std::optional<chain_metadata> metadata() const override { return meta_; }
   result<bool> initialize(const chain_metadata& meta, const block_state& genesis) override;
   std::optional<block_header_state> lib_state() const override { return lib_state_; }
   uint32_t first_block_num() const override { return blocks_.empty() ? 0 : blocks_.begin()->first; }
   uint32_t lib_num() const override { return blocks_.empty() ? 0 : blocks_.rbegin()->first; }
   std::shared_ptr<const signed_block> block_by_num(uint32_t num) const override;
   std::optional<block_id_type> id_by_num(uint32_t num) const override;
   std::optional<uint32_t> num_by_id(const block_id_type& id) const override;
   void put_reversible(const block_state& b) override;
   std::vector<block_state_ptr> load_reversible() const override;
   result<bool> commit_lib(const lib_commit& c) override;
   bool has_transaction(const transaction_id_type& id, time_point_sec expiration) const override {
      auto it = trxs_.find(id);
      return it != trxs_.end() && it->second == expiration;
   }

private:
   std::optional<chain_metadata> meta_;
   std::optional<block_header_state> lib_state_;
   std::map<uint32_t, std::pair<block_id_type, std::shared_ptr<const signed_block>>> blocks_;
   std::map<block_id_type, uint32_t> ids_;
   std::map<block_id_type, block_state_ptr> reversible_;
   std::map<transaction_id_type, time_point_sec> trxs_;
};

} // namespace core
