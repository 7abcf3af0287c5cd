#pragma once
/// A block together with the header state it produces: the unit the fork database, the
/// controller and the store pass around. Immutable once built except `validated` and the votes
/// gathered on it (both changed on the controller's thread only).
#include "chain/aggregating_qc.hpp"
#include "chain/block_header_state.hpp"
#include "types/block.hpp"

#include <memory>

namespace core {

struct block_state {
   block_header_state bhs;
   std::shared_ptr<const signed_block> block;
   /// True once the block was fully validated and applied (not just its header).
   bool validated = false;
   /// Proper Savanna blocks in a controller: the votes on this block and the best QC received
   /// for it (null elsewhere; see attach_votes()).
   std::shared_ptr<aggregating_qc> votes;

   /// Gives a proper Savanna block its (empty) vote aggregate; no-op otherwise.
   void attach_votes() {
      if (!votes && bhs.is_proper_savanna())
         votes = std::make_shared<aggregating_qc>(
            bhs.savanna->active_finalizer_policy,
            bhs.savanna->pending_finalizer_policy ? bhs.savanna->pending_finalizer_policy->second : nullptr);
   }

   const block_id_type& id() const { return bhs.id; }
   uint32_t block_num() const { return bhs.block_num; }
   const block_id_type& previous() const { return bhs.header.previous; }
   uint32_t dpos_irreversible_blocknum() const { return bhs.dpos_irreversible_blocknum; }
   /// The LIB this block implies: DPoS, transition, or the finality core's (Spring's
   /// irreversible_blocknum()).
   uint32_t irreversible_blocknum() const { return bhs.irreversible_blocknum(); }
   bool is_proper_savanna() const { return bhs.is_proper_savanna(); }
   /// Timestamp of the block this block's latest QC claim names (Savanna fork choice).
   block_timestamp latest_qc_block_timestamp() const { return bhs.savanna->core.latest_qc_block_timestamp(); }
   block_timestamp timestamp() const { return bhs.header.timestamp; }
};

using block_state_ptr = std::shared_ptr<block_state>;

} // namespace core
