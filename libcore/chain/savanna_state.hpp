#pragma once
/// The Savanna part of a block's header state (Spring chain/block_header_state.hpp): the
/// finality core, the finalizer policies (active, pending, proposed, with their generations),
/// the proposer policies (active, pending, proposed) and the commitments hashed into the
/// block's finality digest — what a strong vote signs.
///
/// Built for the Savanna genesis block, every transition block after it, and every proper
/// Savanna block (block_header_state::savanna). Immutable once built; policies are shared
/// between the states of consecutive blocks. Thread-safe for const use.
#include "chain/finality_core.hpp"
#include "codec/result.hpp"
#include "types/block.hpp"
#include "types/finality_extension.hpp"
#include "types/finality_policies.hpp"
#include "types/merkle.hpp"

#include <cereal/cereal.hpp>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace core {

/// The finalizer policies a QC on some block is checked against.
struct qc_policies {
   checksum256 finality_digest;     ///< the block's; strong votes sign it
   finalizer_policy_ptr active;     ///< never null
   finalizer_policy_ptr pending;    ///< null when the block had no pending policy
};

/// Spring's valid_t: the finality merkle tree over one leaf per block from the Savanna
/// genesis (block number, timestamps, finality digest and the block's action merkle root), and
/// its roots for the blocks from the last final one to this one. A block's finality mroot (its
/// header action_mroot) is the root for the block its QC claim names. Needs every block's
/// action root, which only executing the block gives: see block_header_state's next_options.
struct finality_tree {
   savanna_incremental_merkle validation_tree;
   std::vector<checksum256> validation_mroots; ///< blocks core.last_final_block_num() .. this block

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(validation_tree), CEREAL_NVP(validation_mroots));
   }
   bool operator==(const finality_tree&) const = default;
};

/// sha256 of Spring's finality_leaf_node_t.
checksum256 finality_leaf_digest(uint32_t block_num, block_timestamp timestamp, block_timestamp parent_timestamp,
                                 const checksum256& finality_digest, const checksum256& action_mroot);

struct savanna_state {
   finality_core core;
   finalizer_policy_ptr active_finalizer_policy;
   proposer_policy_ptr active_proposer_policy;
   proposer_policy_ptr latest_proposed_proposer_policy; ///< may be null
   proposer_policy_ptr latest_pending_proposer_policy;  ///< may be null
   /// Proposed in block `first`; pending once that block is final.
   std::vector<std::pair<uint32_t, finalizer_policy_ptr>> proposed_finalizer_policies;
   /// Pending since block `first`; active once that block is final.
   std::optional<std::pair<uint32_t, finalizer_policy_ptr>> pending_finalizer_policy;
   /// The policy active at the latest QC claim's block when a pending one replaced it since.
   finalizer_policy_ptr latest_qc_claim_block_active_finalizer_policy;
   uint32_t finalizer_policy_generation = 1;
   checksum256 last_pending_finalizer_policy_digest;
   block_timestamp last_pending_finalizer_policy_start_timestamp;

   // ---- derived, kept with the state ----
   checksum256 base_digest;
   checksum256 finality_digest; ///< what a strong vote on this block signs
   /// Set when the action roots of this block and its ancestors back to the genesis are known.
   std::shared_ptr<const finality_tree> valid;

   const finalizer_policy& last_proposed_finalizer_policy() const;
   const finalizer_policy& last_pending_finalizer_policy() const;
   const proposer_policy& last_proposed_proposer_policy() const;
   uint32_t pending_finalizer_policy_generation() const {
      return pending_finalizer_policy ? pending_finalizer_policy->second->generation : 0;
   }

   /// The policies a QC on block `num` is checked against; `self` is this block's own
   /// reference. Precondition: core.latest_qc_claim().block_num <= num <= own block number.
   /// Error: a policy generation the state no longer tracks (a damaged state).
   result<qc_policies> finalizer_policies_for(uint32_t num, const block_ref& self) const;
   /// The finalizer policy generation active at block `num` (last final .. own block).
   uint32_t active_finalizer_policy_generation(uint32_t num, uint32_t own_block_num) const;

   /// The finality mroot a child claiming `claim` must carry; nullopt without a finality tree.
   std::optional<checksum256> finality_mroot_claim(const qc_claim& claim) const;

   /// Stored form: everything but the derived digests, which finish_unpack recomputes only
   /// with the header (the owning block_header_state does it).
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(core), CEREAL_NVP(active_finalizer_policy), CEREAL_NVP(active_proposer_policy),
         CEREAL_NVP(latest_proposed_proposer_policy), CEREAL_NVP(latest_pending_proposer_policy),
         CEREAL_NVP(proposed_finalizer_policies), CEREAL_NVP(pending_finalizer_policy),
         CEREAL_NVP(latest_qc_claim_block_active_finalizer_policy), CEREAL_NVP(finalizer_policy_generation),
         CEREAL_NVP(last_pending_finalizer_policy_digest), CEREAL_NVP(last_pending_finalizer_policy_start_timestamp),
         CEREAL_NVP(valid));
   }
};

/// Proposer-policy round arithmetic (block_header_state_utils.hpp): rounds of 12 slots.
namespace savanna_rounds {
uint32_t round_start_slot(block_timestamp t);
bool in_same_round(block_timestamp next, block_timestamp current);
std::optional<uint32_t> prior_round_start_slot(block_timestamp t);
bool first_block_of_round(block_timestamp block, block_timestamp parent);
} // namespace savanna_rounds

} // namespace core
