#pragma once
/// Pipelined validation of a chain of blocks in order (replay of a block log, `blockdump verify`):
/// the same accept/reject decisions as block_header_state::next + validate_block_body, with the
/// signature recovery of the next blocks running on a recovery_pool while the current block is
/// checked on the caller's thread.
///
///   caller thread:  push(N+k): header N+k (next, signee deferred) ─► job N+k queued on the pool
///                   front N:   wait job N (or run it if no worker took it) ─► signee N ─► body N
///   pool workers:   job = verify_signee() of the new state + the QC's aggregate signature (BLS,
///                   Savanna) + recovery of every transaction signature
///
/// At most `lookahead_blocks` blocks are in flight, so memory does not grow with the chain.
#include "chain/block_header_state.hpp"
#include "chain/block_signature_job.hpp"
#include "chain/block_validation.hpp"
#include "chain/recovery_pool.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

namespace core {

/// What body validation needs to know about one branch's past: ids of the last 65,536 blocks
/// (TAPO, Leap's block_summary table) and the ids of included transactions until they expire
/// (Leap's transaction dedup index). Memory: a fixed 2.4 MB ring plus the unexpired ids, which
/// max_transaction_lifetime bounds. Thread affinity: one thread.
class block_history {
public:
   /// ref_block_num is 16 bits: TAPO reaches at most 2^16 - 1 blocks back.
   static constexpr std::size_t tapos_window_blocks = std::size_t(1) << 16;

   block_history();

   /// Id of block `num` if it is within the window (nullopt for 0 and for unrecorded numbers).
   std::optional<block_id_type> id_for_num(uint32_t num) const;
   bool contains_transaction(const transaction_id_type& id) const { return live_ids_.contains(id); }
   std::size_t live_transaction_count() const { return live_ids_.size(); }

   /// Forgets ids expired at a pending block with timestamp `t` (expiration < t, whole seconds).
   void expire(block_timestamp t);
   void record_block(uint32_t num, const block_id_type& id);
   void record_transactions(std::span<const validated_transaction> trxs);

   /// A body context over this history; the callbacks refer to *this, which must outlive it.
   block_body_context context(const checksum256& chain_id, const chain_config& config) const;

private:
   struct id_hash {
      std::size_t operator()(const transaction_id_type& id) const;
   };
   std::vector<std::pair<uint32_t, block_id_type>> recent_; ///< [num % window] = (num, id)
   std::unordered_set<transaction_id_type, id_hash> live_ids_;
   std::multimap<uint32_t, transaction_id_type> by_expiration_; ///< expiration (s) → id
};

struct replay_config {
   checksum256 chain_id;
   /// Genesis configuration; later setparams changes are not tracked (no contract execution).
   chain_config config;
   /// Blocks queued ahead of the one being checked; 0 = 4 × (pool threads + 1), at least 8.
   std::size_t lookahead_blocks = 0;
   /// A Savanna block's action root when the caller knows it (chain/action_mroot.hpp, or a
   /// trace of the chain): the finality tree is then kept and every finality mroot checked.
   std::function<std::optional<checksum256>(const signed_block&)> savanna_action_mroot = nullptr;
};

/// One block's outcome, reported in block order.
struct replayed_block {
   std::shared_ptr<const signed_block> block;
   /// The block's state; set when its header validated (signature included), even if the body failed.
   std::shared_ptr<const block_header_state> state;
   /// The block carries a QC and its aggregate signature verified.
   bool qc_verified = false;
   /// Empty when the block was accepted. Header failures as next() words them ("block N: ..."),
   /// body failures as block_body_failure::to_string() ("receipt 3: bad_transaction/expired: ...").
   std::string error;
   bool header_ok() const { return state != nullptr; }
};

class chain_replayer {
public:
   /// Called on the caller's thread (from push() or finish()) once per block, in order, up to
   /// and including the first block that fails.
   using block_handler = std::function<void(const replayed_block&)>;

   /// `start`: the state of the last block already validated (genesis or a stored LIB state);
   /// its id is recorded in the history. `pool` must outlive the replayer.
   chain_replayer(block_header_state start, replay_config cfg, recovery_pool& pool, block_handler on_block);
   /// Waits for the jobs still in flight; unreported blocks are dropped.
   ~chain_replayer();
   chain_replayer(const chain_replayer&) = delete;
   chain_replayer& operator=(const chain_replayer&) = delete;

   /// Feeds the next block (its parent is the last block pushed). Returns false once a failure
   /// is known (then the block is not taken: call finish() to report up to the failing block).
   bool push(std::shared_ptr<const signed_block> b);
   /// Reports every block pushed; true when all were accepted.
   bool finish();

   /// State of the last accepted (reported) block.
   const block_header_state& head() const { return *head_; }
   /// History after the last accepted block; seed it (older ids, unexpired transactions) before
   /// the first push when starting from a stored state.
   block_history& history() { return history_; }
   std::size_t lookahead_blocks() const { return lookahead_; }

private:
   /// One block in flight: its signature job, or why its header failed.
   struct job {
      block_signature_job sig;
      std::string header_error;
   };
   /// Completes and reports the oldest block in flight; false when it failed.
   bool complete_front();

   replay_config cfg_;
   recovery_pool& pool_;
   block_handler on_block_;
   std::size_t lookahead_;
   block_history history_;
   block_body_context ctx_;
   std::shared_ptr<const block_header_state> head_;   ///< last accepted
   std::shared_ptr<const block_header_state> tail_;   ///< header state of the last block pushed
   std::deque<std::shared_ptr<job>> in_flight_;
   bool failed_ = false; ///< a header failed at push, or a block failed at completion
   bool stopped_ = false; ///< a failure was reported
};

} // namespace core
