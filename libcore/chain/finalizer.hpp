#pragma once
/// A finalizer's voting rules (Spring chain/finalizer.cpp): given a block and the finalizer's
/// safety information — its last vote, its lock, and the latest time it voted on another
/// branch — decide whether it may vote and whether strongly or weakly, updating the safety
/// information as Spring does. The vote itself is signed in finalizer_vote (vote.hpp).
#include "chain/block_header_state.hpp"
#include "chain/finality_core.hpp"

#include <cereal/cereal.hpp>

namespace core {

struct finalizer_safety_information {
   block_ref last_vote;                      ///< empty until the first vote
   block_ref lock;                           ///< the block of the newest strong QC voted on
   block_timestamp other_branch_latest_time; ///< slot 0: none

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(last_vote), CEREAL_NVP(lock), CEREAL_NVP(other_branch_latest_time));
   }
   bool operator==(const finalizer_safety_information&) const = default;

   /// What Spring gives finalizers that have none when the chain switches to Savanna (or when
   /// they start on a Savanna chain): last vote and lock on `b`, no other branch.
   static finalizer_safety_information at(const block_ref& b) { return {b, b, {}}; }
};

enum class vote_decision : uint8_t { no_vote, strong_vote, weak_vote };
std::string_view to_string(vote_decision d);

struct vote_decision_result {
   vote_decision decision = vote_decision::no_vote;
   bool monotony_check = false; ///< the block is newer than the last vote
   bool liveness_check = false; ///< its QC is newer than the lock
   bool safety_check = false;   ///< it extends the lock
};

/// Spring's finalizer::decide_vote for the Savanna block `b`: a vote needs monotony and either
/// liveness or safety; it is strong when the last vote is not newer than b's latest QC block,
/// or is an ancestor of b with no newer vote on another branch. A vote updates fsi.last_vote,
/// and a strong vote moves the lock to b's latest QC block when that is newer.
/// Precondition: b.savanna is set.
vote_decision_result decide_vote(finalizer_safety_information& fsi, const block_header_state& b);

} // namespace core
