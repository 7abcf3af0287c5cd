// Spring's recorded Savanna chain, validated from its genesis through block_header_state: the
// legacy blocks, the Savanna genesis and transition blocks, then proper Savanna blocks with
// QCs. Every block's LIB must equal the LIB Spring logged, and every digest of the header
// state must equal Spring's finality_data for that block.
#include "chain/block_header_state.hpp"
#include "chain/qc_verification.hpp"
#include "codec/codec.hpp"

#include "support/deep_mind.hpp"

#include <catch2/catch.hpp>

using namespace core;

namespace {

/// Validates blocks 2..`last` of the deep-mind chain, handing each state to `on_block`. The
/// Savanna action roots come from Spring's finality_data (they need contract execution).
template <class F>
void replay_deep_mind(uint32_t last, F&& on_block) {
   const auto& dm = test::deep_mind();
   auto state = block_header_state::genesis(dm.genesis);
   REQUIRE(state.id == dm.block(1).calculate_id());
   for (uint32_t n = 2; n <= last; ++n) {
      INFO("block " << n);
      next_options opts;
      if (const auto* rec = dm.record(n))
         opts.savanna_action_mroot = rec->finality.action_mroot;
      auto next = state.next(dm.block(n), opts);
      if (!next)
         FAIL(next.error());
      state = std::move(*next);
      on_block(n, state);
   }
}

} // namespace

TEST_CASE("savanna deep-mind: every block's LIB equals Spring's, 32 of 32", "[chain][savanna]") {
   const auto& dm = test::deep_mind();
   int compared = 0;
   replay_deep_mind(35, [&](uint32_t n, const block_header_state& s) {
      const auto* rec = dm.record(n);
      if (!rec)
         return;
      CHECK(s.id == rec->id);
      CHECK(s.irreversible_blocknum() == rec->lib);
      ++compared;
   });
   CHECK(compared == 32);
}

TEST_CASE("savanna deep-mind: header-state digests equal Spring's finality_data", "[chain][savanna]") {
   const auto& dm = test::deep_mind();
   int compared = 0;
   bool saw_pending = false;
   replay_deep_mind(35, [&](uint32_t n, const block_header_state& s) {
      const auto* rec = dm.record(n);
      if (!rec)
         return;
      REQUIRE(s.savanna);
      const auto& sv = *s.savanna;
      const auto& fd = rec->finality;
      CHECK(fd.major_version == 1);
      CHECK(sv.active_finalizer_policy->generation == fd.active_finalizer_policy_generation);
      CHECK(sv.core.reversible_blocks_mroot() == fd.reversible_blocks_mroot);
      const auto claim = sv.core.latest_qc_claim();
      CHECK(claim.block_num == fd.latest_qc_claim_block_num);
      const block_ref ref = sv.core.is_genesis_core() ? block_ref{} : sv.core.get_block_reference(claim.block_num);
      CHECK(ref.finality_digest == fd.latest_qc_claim_finality_digest);
      CHECK(ref.timestamp == fd.latest_qc_claim_timestamp);
      CHECK(sv.base_digest == fd.base_digest);
      CHECK(sv.last_pending_finalizer_policy().generation == fd.last_pending_finalizer_policy_generation);
      // Spring reports a policy the block promoted to pending (the genesis: its own).
      const bool promoted = sv.core.is_genesis_block_num(n) ||
                            (sv.pending_finalizer_policy && sv.pending_finalizer_policy->first == n);
      CHECK(promoted == fd.pending_finalizer_policy.has_value());
      saw_pending |= promoted && !sv.core.is_genesis_block_num(n);
      // The policies the block is checked against.
      CHECK(*sv.active_proposer_policy == rec->active_proposer_policy);
      const auto& fp = rec->active_finalizer_policy;
      CHECK(sv.active_finalizer_policy->generation == fp.generation);
      CHECK(sv.active_finalizer_policy->threshold == fp.threshold);
      REQUIRE(sv.active_finalizer_policy->finalizers.size() == fp.finalizers.size());
      for (std::size_t i = 0; i < fp.finalizers.size(); ++i) {
         CHECK(sv.active_finalizer_policy->finalizers[i].public_key.to_string() == fp.finalizers[i].public_key);
         CHECK(sv.active_finalizer_policy->finalizers[i].weight == fp.finalizers[i].weight);
      }
      // With the action roots known, the finality tree is kept and every proper block's
      // finality mroot was checked against it by next().
      CHECK(sv.valid);
      ++compared;
   });
   CHECK(compared == 32);
}

TEST_CASE("savanna deep-mind: proper blocks are signed over their id by the proposer", "[chain][savanna]") {
   replay_deep_mind(35, [&](uint32_t n, const block_header_state& s) {
      if (!s.is_proper_savanna())
         return;
      CHECK(s.signing_digest() == s.id);
      CHECK(s.header.confirmed == 0);
      CHECK(s.verify_signee());
      (void)n;
   });
}

TEST_CASE("savanna deep-mind: the transition is where Spring made it", "[chain][savanna]") {
   replay_deep_mind(7, [&](uint32_t n, const block_header_state& s) {
      switch (n) {
      case 2:
      case 3: CHECK_FALSE(s.is_savanna()); break;
      case 4:
         CHECK(s.is_savanna());
         CHECK(s.savanna_genesis_block_num() == 4u);
         CHECK(s.savanna->core.is_genesis_core());
         CHECK_FALSE(s.is_savanna_critical());
         break;
      case 5:
         CHECK(s.is_savanna());
         CHECK_FALSE(s.is_proper_savanna());
         CHECK(s.is_savanna_critical());
         break;
      default: CHECK(s.is_proper_savanna()); break;
      }
   });
}

TEST_CASE("savanna deep-mind: a stored state decodes to the same state and digests", "[chain][savanna]") {
   replay_deep_mind(30, [&](uint32_t n, const block_header_state& s) {
      if (n < 4)
         return;
      auto raw = pack(s);
      auto back = unpack<block_header_state>(raw);
      REQUIRE(back);
      REQUIRE(back->savanna);
      CHECK(back->savanna->finality_digest == s.savanna->finality_digest);
      CHECK(back->savanna->base_digest == s.savanna->base_digest);
      CHECK(pack(*back) == raw);
      CHECK(back->irreversible_blocknum() == s.irreversible_blocknum());
   });
}

TEST_CASE("savanna deep-mind: every QC verifies against the policies of its claimed block", "[chain][savanna]") {
   const auto& dm = test::deep_mind();
   auto parent = block_header_state::genesis(dm.genesis);
   int verified = 0;
   replay_deep_mind(35, [&](uint32_t n, const block_header_state& s) {
      auto qc = verify_block_qc(parent, dm.block(n));
      if (qc) {
         INFO("block " << n);
         CHECK(*qc);
         ++verified;
      }
      parent = s;
   });
   CHECK(verified == 13);
}

TEST_CASE("savanna deep-mind: a QC whose signature or digest is wrong does not verify", "[chain][savanna]") {
   const auto& dm = test::deep_mind();
   block_header_state at33;
   replay_deep_mind(33, [&](uint32_t n, const block_header_state& s) {
      if (n == 33)
         at33 = s;
   });
   auto b = dm.block(34);
   auto bx = decode_block_extensions(b.block_extensions);
   REQUIRE(bx);
   REQUIRE(bx->qc);
   auto qc = bx->qc->qc;
   auto policies = at33.qc_policies_for(qc.block_num);
   REQUIRE(policies);
   CHECK(verify_qc_signature(qc, *policies));
   auto wrong_digest = *policies;
   wrong_digest.finality_digest.data[0] ^= 1;
   auto r = verify_qc_signature(qc, wrong_digest);
   REQUIRE_FALSE(r);
   CHECK(r.error().find("does not verify") != std::string::npos);
   qc.active_policy_sig.sig.data[5] ^= 1; // no longer a point on the curve (or not the signature)
   CHECK_FALSE(verify_qc_signature(qc, *policies));
}
