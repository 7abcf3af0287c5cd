#pragma once
/// The chain controller: one local chain of legacy-DPoS blocks — fork database, validation
/// without contract execution, LIB advance into the store, transactions, and production —
/// with the seed's signals emitted in its documented order (§2.2.2):
///
///  A. a pushed block: pre_accepted_block → (header validated, added to the fork database)
///     accepted_block_header → for each applied block: accepted_transaction / applied_transaction
///     per transaction, then accepted_block → irreversible_block for each block made
///     irreversible (once the store has written it).
///     A produced block: accepted_block_header → accepted_block → irreversible_block.
///  B. a fork switch pops the old branch to the fork point (its transactions return to the
///     unapplied queue) and applies the new branch: per block, transactions then accepted_block.
///  C. open() after a restart: irreversible state comes from the store; reversible blocks are
///     replayed through pre_accepted_block → accepted_block_header → accepted_block.
///
/// Thread affinity: one thread (the owner's) calls every member; signal handlers run on it.
/// Signature recovery fans out to the recovery pool and joins before returning.
#include "chain/aggregating_qc.hpp"
#include "chain/block_signature_job.hpp"
#include "chain/block_state.hpp"
#include "chain/chain_store.hpp"
#include "chain/clock.hpp"
#include "chain/finalizer_set.hpp"
#include "chain/fork_database.hpp"
#include "chain/recovery_pool.hpp"
#include "chain/signal.hpp"
#include "crypto/private_key.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"
#include "types/transaction.hpp"

#include <deque>
#include <span>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace core {

struct controller_config {
   /// Required to initialise an empty store; checked against the store's otherwise.
   std::optional<genesis_state> genesis;
   /// Signature-recovery threads (0 = all cores).
   unsigned signature_threads = 0;
   /// Reject blocks whose timestamp is more than 15 s ahead of the clock.
   bool reject_future_blocks = true;
   /// Least chain-clock time between two LIB commits. 0: the LIB advances (one synced store
   /// write) whenever the head's DPoS LIB moves. Otherwise an advance sooner than this after
   /// the last one waits — its blocks stay in the fork database — until a later block finds
   /// the interval passed or flush_lib() is called; a syncing node applying thousands of
   /// blocks a second then pays one fsync per interval instead of one per block. Before a fork
   /// switch a waiting advance is committed first, so no branch the LIB excludes is applied.
   std::chrono::milliseconds lib_commit_interval{0};
   /// The chain's blocks follow the project's action-root convention (chain/action_mroot.hpp):
   /// true on the project's own networks, where every producer is this software. Savanna blocks
   /// then keep their finality tree, every proper block's finality mroot is checked, and this
   /// node can produce Savanna blocks. False (a network of Spring nodes, whose action roots come
   /// from executing contracts): the finality mroot is carried and certified by the QCs.
   bool project_action_mroots = false;
};

/// Outcome of offering a block to the controller.
enum class block_status {
   applied,      ///< now part of the best chain
   forked,       ///< valid header, stored in the fork database on a non-best branch
   duplicate,    ///< already known
   old,          ///< at or below the last irreversible block
   unlinkable,   ///< parent unknown (kept in the unlinkable cache)
   invalid,      ///< failed validation (error says why)
   unavailable,  ///< not looked at: the store cannot write (store_fault() says why)
};
std::string_view to_string(block_status s);

struct block_result {
   block_status status;
   std::string error;     ///< for invalid: the rule and the block
   block_state_ptr state; ///< for applied / forked
};

struct transaction_result {
   bool accepted = false;
   transaction_id_type id;
   std::string error; ///< why it was refused
};

class controller {
public:
   controller(chain_store& store, const chain_clock& clock, controller_config cfg);

   /// Initialises an empty store from the genesis, or loads the LIB state and the reversible
   /// blocks (replaying them, signals C). Errors: one line (damaged store, chain id mismatch).
   result<bool> open();

   // ---- signals (§2.2.2) ----
   signal<const std::shared_ptr<const signed_block>&> pre_accepted_block;
   signal<const block_state_ptr&> accepted_block_header;
   signal<const block_state_ptr&> accepted_block;
   signal<const block_state_ptr&> irreversible_block;
   signal<const std::shared_ptr<const packed_transaction>&> accepted_transaction;
   signal<const std::shared_ptr<const packed_transaction>&, const block_state_ptr&> applied_transaction;

   // ---- blocks ----
   /// Validates b's header against its parent (no full validation, no signals, no state
   /// change): what a relay checks before forwarding. For a Savanna block this includes its
   /// QC's votes and weights against the policies.
   result<block_state_ptr> validate_header(const std::shared_ptr<const signed_block>& b) const;
   /// Offers a block: header validation, fork database, fork choice, application, LIB.
   block_result accept_block(std::shared_ptr<const signed_block> b);

   /// Starts the signature work of `b` on the recovery pool: its transactions' keys and, when
   /// its parent is known here or prefetched, its header state and producer signature.
   /// Accepting `b` later uses them (a syncing node pipelines recovery across the blocks it
   /// has queued); if no worker has started them by then, the accepting thread does the work.
   void prefetch_block_keys(const std::shared_ptr<const signed_block>& b);
   /// The prefetch of block `id` has finished (or there is none).
   bool block_keys_ready(const block_id_type& id) const;

   /// The head's LIB (DPoS, or the finality core's) is ahead of the committed LIB (a commit
   /// waits for the interval).
   bool lib_pending() const { return head_->irreversible_blocknum() > last_irreversible_block_num(); }
   /// Replay: blocks up to `num` on the head's branch were irreversible in the store replayed,
   /// so they are again, whatever DPoS has confirmed so far (nodeos replays blocks.log as
   /// irreversible the same way). Commits like a LIB advance. Error: num beyond the head, or
   /// the store's.
   result<bool> mark_irreversible_through(uint32_t num);
   /// Commits a waiting LIB advance now (irreversible_block signals, then one synced write)
   /// and has the store write the reversible blocks it holds back. Error: the store's, in one line.
   result<bool> flush_lib();

   // ---- the store's health ----
   /// A write to the store failed (a full disk, a read-only filesystem, an I/O error): from
   /// then on blocks are refused (block_status::unavailable) and not produced, while reads
   /// still serve peers, until retry_store() succeeds. Nothing is lost: the LIB advance that
   /// failed stays waiting in the fork database and is committed by the retry.
   struct store_failure {
      std::string error;     ///< the store's last error, one line
      time_point since;      ///< chain-clock time of the first failure
      uint64_t retries = 0;  ///< failed retry_store() calls since
   };
   const std::optional<store_failure>& store_fault() const { return store_fault_; }
   /// Asks the store to clear its error state (chain_store::recover), then commits the waiting
   /// LIB advance and the held-back reversible blocks. True when the store writes again (or
   /// never failed); error: why it still cannot, and the fault stays.
   result<bool> retry_store();
   /// Stops store writes from outside (the filesystem is nearly full): the same state as a
   /// failed write, with `why` as its error, until retry_store() succeeds.
   void suspend_store(std::string why) { note_store_failure(std::move(why)); }
   /// Emitted when the store stops writing (with the fault) and when it writes again (nullopt).
   signal<const std::optional<store_failure>&> store_state_changed;

   // ---- transactions ----
   /// Validates and queues a transaction for production (signals: accepted_transaction).
   transaction_result push_transaction(std::shared_ptr<const packed_transaction> trx);
   /// push_transaction for several at once: their signatures are recovered in one pass over
   /// the recovery pool, then each is checked and queued in order. One result per transaction.
   std::vector<transaction_result> push_transactions(std::span<const std::shared_ptr<const packed_transaction>> trxs);
   std::size_t unapplied_transaction_count() const { return unapplied_.size(); }
   /// Drops queued transactions that expired at the head time; returns how many.
   std::size_t drop_expired_transactions();

   // ---- production ----
   struct produce_options {
      name producer;
      block_timestamp when;
      /// Blocks this producer confirms (Leap's producer: head num − its last produced num).
      uint16_t confirmed = 0;
      /// A schedule to propose: legacy, through new_producers when none is pending and it
      /// differs from the active one; Savanna, as a proposer policy diff when it differs from
      /// the last proposed one (Spring's set_proposed_producers).
      std::optional<producer_schedule> propose_schedule;
      /// Most transactions to include.
      std::size_t max_transactions = 1000;
      /// On a legacy head: make this block the Savanna genesis, carrying this finalizer policy
      /// (its generation becomes 1), as Spring's set_finalizers does in a legacy chain.
      std::optional<finalizer_policy> activate_savanna;
      /// On a Savanna head: propose this finalizer policy (its generation becomes the next one).
      std::optional<finalizer_policy> propose_finalizers;
   };
   /// Builds on the head, signs, applies and returns the new block. On a legacy head it is a
   /// legacy block (or the Savanna genesis with activate_savanna); on a transition head a
   /// transition block; after the critical block a proper Savanna block, claiming the best QC
   /// on its branch (from the votes gathered here or received in blocks) and carrying that QC
   /// when the claim is new. Proper Savanna production needs project_action_mroots (the
   /// finality tree). Error: one line.
   result<block_state_ptr> produce_block(const produce_options& opts, const private_key& key);

   // ---- votes (Savanna) ----
   /// Counts a finalizer's vote on a block in the fork database (signature checked against
   /// the block's finality digest): Spring's aggregate_vote. unknown_block when the block is
   /// not here (or is not a proper Savanna block).
   vote_status process_vote(const vote_message& v);
   /// The best QC known for block `id` (votes reaching quorum, or one received in a block).
   std::optional<quorum_certificate> best_qc(const block_id_type& id) const;

   /// This node's finalizers (Spring's my_finalizers). From now on each proper Savanna block
   /// applied here — received or produced — that is recent (its timestamp within 30 s of the
   /// clock, Spring's is_recent) gets their votes: decided and signed, the safety file written,
   /// then each vote aggregated into the block's pending QC here and emitted through `voted`.
   void set_finalizers(finalizer_set f) { finalizers_ = std::move(f); }
   const finalizer_set* finalizers() const { return finalizers_ ? &*finalizers_ : nullptr; }
   /// A vote of this node's finalizers, already durable in the safety file and counted here:
   /// the network layer broadcasts it.
   signal<const vote_message&> voted;
   /// Votes withheld because the safety file could not be written (one line: why).
   signal<const std::string&> vote_failed;
   /// Votes this node's finalizers have cast since start (votes out).
   uint64_t votes_cast() const { return votes_cast_; }
   /// Votes offered to process_vote since start (votes in), and how many of them counted.
   uint64_t votes_received() const { return votes_received_; }
   uint64_t votes_counted() const { return votes_counted_; }

   // ---- queries ----
   const checksum256& chain_id() const { return chain_id_; }
   const genesis_state& genesis() const { return genesis_; }
   /// Head of the applied (validated) chain.
   const block_state_ptr& head() const { return head_; }
   /// Best block in the fork database (may be ahead of head() while a fork switch is pending).
   const block_state_ptr& fork_db_head() const { return forkdb_->head(); }
   const block_state_ptr& last_irreversible() const { return forkdb_->root(); }
   uint32_t last_irreversible_block_num() const { return forkdb_->root()->block_num(); }
   /// Block on the applied chain by number (store at or below LIB, fork database above).
   std::shared_ptr<const signed_block> fetch_block_by_number(uint32_t num) const;
   std::shared_ptr<const signed_block> fetch_block_by_id(const block_id_type& id) const;
   std::optional<block_id_type> block_id_for_num(uint32_t num) const;
   const fork_database& fork_db() const { return *forkdb_; }
   const unlinkable_cache& unlinkable() const { return unlinkable_; }

private:
   /// Options for next() on block `b`: the clock, and the Savanna action root when known.
   next_options header_options(const signed_block& b) const;
   /// Our finalizers' votes on the applied block `b` (set_finalizers).
   void consider_voting(const block_state_ptr& b);
   /// Records the QC `b` carries as received for the block it certifies (on b's branch).
   void integrate_received_qc(const block_state& b);
   /// Spring's get_qc_data: the newest QC on the head's branch, and the claim to make.
   std::pair<qc_claim, std::optional<quorum_certificate>> qc_for_next_block() const;
   /// Fills a proper Savanna block's action_mroot (finality mroot) and finality and QC
   /// extensions. Error: no finality tree.
   result<bool> finish_savanna_header(signed_block& b, const produce_options& o) const;
   /// The finality extension of a legacy-signed block (the genesis or a transition block), if any.
   std::optional<finality_extension> transition_extension(const produce_options& o) const;
   block_result add_to_fork_db(std::shared_ptr<const signed_block> b);
   /// Moves head_ to the fork database's best block, switching branches when needed.
   std::string switch_to_best();
   /// Full validation of a block whose parent is head_; on success head_ = b.
   std::string apply_block(const block_state_ptr& b);
   void pop_head();
   /// Moves the LIB to the head's DPoS LIB: now when `force` or the commit interval passed.
   std::string advance_lib(bool force);
   /// Moves the LIB to `new_lib` on the head's branch (no-op at or below the current one).
   std::string advance_lib_to(uint32_t new_lib, bool force);
   /// A block of the fork database or its root (what a child can link to); null otherwise.
   block_state_ptr linkable_block(const block_id_type& id) const;
   /// Duplicate check over the store's index, the applied reversible blocks and the queue.
   bool is_known_transaction(const transaction_id_type& id, time_point_sec expiration) const;
   std::optional<block_id_type> branch_id_for_num(uint32_t num) const;

   chain_store& store_;
   const chain_clock& clock_;
   controller_config cfg_;
   genesis_state genesis_;
   checksum256 chain_id_;
   std::unique_ptr<fork_database> forkdb_;
   std::unique_ptr<recovery_pool> pool_;
   unlinkable_cache unlinkable_;
   block_state_ptr head_;
   /// Chain-clock time of the last LIB commit (lib_commit_interval).
   time_point last_lib_commit_{};
   /// Transaction ids in applied reversible blocks → block number.
   std::unordered_map<transaction_id_type, uint32_t> reversible_trxs_;
   /// Queued transactions in arrival order, and their ids.
   std::deque<std::shared_ptr<const packed_transaction>> unapplied_;
   /// A queued transaction's expiration and, when it was validated here, its signatures and
   /// the keys they recovered to: a block carrying the same signed transaction reuses them.
   struct unapplied_entry {
      time_point_sec expiration;
      std::vector<signature> signatures;
      std::vector<public_key> keys;
   };
   std::unordered_map<transaction_id_type, unapplied_entry> unapplied_ids_;
   /// Recovered keys for every signature of `b`'s transactions (block_signature_requests
   /// order): from the queue where the transaction was validated already, else from the pool.
   std::vector<result<public_key>> recover_block_keys(const signed_block& b);
   /// The prefetch job of block `id` if it was done for this very block (same producer
   /// signature and extensions), else null.
   std::shared_ptr<block_signature_job> prefetched_job(const signed_block& b, const block_id_type& id) const;
   /// validate_header, from the prefetched header state and signature check when there is one.
   result<block_state_ptr> header_state(const std::shared_ptr<const signed_block>& b, const block_id_type& id);
   /// prefetch_block_keys jobs by block id, taken when the block is applied; pruned at LIB.
   std::map<block_id_type, std::shared_ptr<block_signature_job>> prefetched_;
   std::optional<finalizer_set> finalizers_;
   std::optional<store_failure> store_fault_;
   /// Records a failed store write (the first one emits store_state_changed).
   void note_store_failure(std::string error);
   uint64_t votes_cast_ = 0;
   uint64_t votes_received_ = 0;
   uint64_t votes_counted_ = 0;
   vote_digests vote_digests_; ///< the last blocks' digests, prepared for the votes' checks
   /// process_vote without the counters (our own votes).
   vote_status aggregate_vote(const vote_message& v);
};

} // namespace core
