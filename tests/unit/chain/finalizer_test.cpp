// The finalizer's voting rules (Spring finalizer.cpp) on the states of Spring's recorded chain.
#include "chain/finalizer.hpp"

#include "support/deep_mind.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace core;

namespace {
/// States of deep-mind blocks 1..35 by number.
std::map<uint32_t, block_header_state> deep_mind_states() {
   const auto& dm = test::deep_mind();
   std::map<uint32_t, block_header_state> out;
   auto s = block_header_state::genesis(dm.genesis);
   out[1] = s;
   for (uint32_t n = 2; n <= 35; ++n) {
      auto next = s.next(dm.block(n));
      REQUIRE(next);
      s = std::move(*next);
      out[n] = s;
   }
   return out;
}
} // namespace

TEST_CASE("finalizer: votes strong along one branch and its lock follows the QCs", "[chain][savanna]") {
   const auto states = deep_mind_states();
   auto fsi = finalizer_safety_information::at(states.at(5).make_block_ref());
   uint32_t last_lock = fsi.lock.block_num();
   for (uint32_t n = 6; n <= 35; ++n) {
      INFO("block " << n);
      auto r = decide_vote(fsi, states.at(n));
      CHECK(r.monotony_check);
      CHECK(r.decision == vote_decision::strong_vote);
      CHECK(fsi.last_vote.block_id == states.at(n).id);
      CHECK(fsi.lock.block_num() >= last_lock);
      last_lock = fsi.lock.block_num();
   }
   CHECK(fsi.lock.block_num() == 34); // block 35 claims a strong QC on 34
   // Monotony: no second vote on the same (or an older) block.
   auto again = decide_vote(fsi, states.at(35));
   CHECK_FALSE(again.monotony_check);
   CHECK(again.decision == vote_decision::no_vote);
}

TEST_CASE("finalizer: a vote after voting on another branch is weak", "[chain][savanna]") {
   const auto states = deep_mind_states();
   // Last vote on a block at 16's height that is not on this chain (a fork), newer than 16's QC.
   auto other = states.at(16).make_block_ref();
   other.block_id.data[31] ^= 1;
   finalizer_safety_information fsi{other, states.at(13).make_block_ref(), {}};
   auto r = decide_vote(fsi, states.at(17));
   CHECK(r.safety_check); // 17 extends the lock on 13
   CHECK_FALSE(r.liveness_check);
   CHECK(r.decision == vote_decision::weak_vote);
   CHECK(fsi.other_branch_latest_time == other.timestamp);
   // Still no newer QC: the next vote, extending the last one, stays weak.
   CHECK(decide_vote(fsi, states.at(18)).decision == vote_decision::weak_vote);
   // Block 25 brings a QC on 24, newer than the other branch: strong again.
   CHECK(decide_vote(fsi, states.at(25)).decision == vote_decision::strong_vote);
   CHECK(fsi.other_branch_latest_time == block_timestamp{});
}

TEST_CASE("finalizer: locked on a block the chain does not extend, without a newer QC: no vote",
          "[chain][savanna]") {
   const auto states = deep_mind_states();
   auto lock = states.at(13).make_block_ref();
   lock.block_id.data[31] ^= 1; // a fork's block 13
   finalizer_safety_information fsi{lock, lock, {}};
   auto r = decide_vote(fsi, states.at(20)); // 20's QC is still on 13: not newer than the lock
   CHECK_FALSE(r.liveness_check);
   CHECK_FALSE(r.safety_check);
   CHECK(r.decision == vote_decision::no_vote);
   // Block 25's QC on 24 is newer than the lock: liveness lets it vote.
   CHECK(decide_vote(fsi, states.at(25)).decision != vote_decision::no_vote);
}
