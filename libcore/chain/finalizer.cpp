#include "chain/finalizer.hpp"

namespace core {

std::string_view to_string(vote_decision d) {
   switch (d) {
   case vote_decision::no_vote: return "no_vote";
   case vote_decision::strong_vote: return "strong";
   case vote_decision::weak_vote: return "weak";
   }
   return "unknown";
}

vote_decision_result decide_vote(finalizer_safety_information& fsi, const block_header_state& b) {
   vote_decision_result res;
   const auto& core = b.savanna->core;
   res.monotony_check = fsi.last_vote.empty() || b.header.timestamp > fsi.last_vote.timestamp;
   if (!res.monotony_check)
      return res;

   if (!fsi.lock.empty()) {
      // Liveness: the block's QC is newer than the lock (lets a finalizer locked on a stale
      // branch rejoin); otherwise safety: the block extends the lock.
      res.liveness_check = core.latest_qc_block_timestamp() > fsi.lock.timestamp;
      if (!res.liveness_check)
         res.safety_check = core.extends(fsi.lock.block_id);
   }
   if (!res.liveness_check && !res.safety_check)
      return res;

   const auto latest_qc_ts = core.latest_qc_block_timestamp();
   if (fsi.last_vote.timestamp <= latest_qc_ts) {
      res.decision = vote_decision::strong_vote;
   } else if (core.extends(fsi.last_vote.block_id)) {
      res.decision = fsi.other_branch_latest_time <= latest_qc_ts ? vote_decision::strong_vote : vote_decision::weak_vote;
   } else {
      res.decision = vote_decision::weak_vote;
      fsi.other_branch_latest_time = fsi.last_vote.timestamp;
   }
   if (res.decision == vote_decision::strong_vote) {
      fsi.other_branch_latest_time = block_timestamp{};
      if (latest_qc_ts > fsi.lock.timestamp)
         fsi.lock = core.get_block_reference(core.latest_qc_claim().block_num);
   }
   fsi.last_vote = b.make_block_ref();
   return res;
}

} // namespace core
