// The controller's Savanna parts: votes, received QCs, and the header of produced Savanna blocks
// (Spring controller.cpp get_qc_data, assemble_block, integrate_received_qc_to_block).
#include "chain/controller.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>

namespace core {

namespace {
template <class T>
std::pair<uint16_t, bytes> extension(uint16_t id, const T& v) {
   auto p = pack(v);
   return {id, bytes(p.begin(), p.end())};
}
} // namespace

vote_status controller::process_vote(const vote_message& v) {
   ++votes_received_;
   const auto s = aggregate_vote(v);
   votes_counted_ += s == vote_status::success;
   return s;
}

vote_status controller::aggregate_vote(const vote_message& v) {
   auto b = forkdb_->get(v.block_id);
   if (!b || !b->votes)
      return vote_status::unknown_block;
   return b->votes->aggregate_vote(v, b->bhs.savanna->finality_digest, &vote_digests_).status;
}

void controller::consider_voting(const block_state_ptr& b) {
   if (!finalizers_ || finalizers_->empty() || !b->is_proper_savanna())
      return;
   constexpr int64_t recent_us = 30'000'000; // Spring's block_state::is_recent
   if (b->timestamp().to_time_point().us <= clock_.now().us - recent_us)
      return; // syncing or replaying: Spring votes on recent blocks only
   auto votes = finalizers_->vote(b->bhs);
   if (!votes) {
      vote_failed(votes.error());
      return;
   }
   for (const auto& v : *votes) {
      ++votes_cast_;
      aggregate_vote(v); // our own vote counts towards the block's QC, as Spring's does
      voted(v);
   }
}

std::optional<quorum_certificate> controller::best_qc(const block_id_type& id) const {
   auto b = forkdb_->get(id);
   if (!b || !b->votes)
      return std::nullopt;
   return b->votes->best_qc(b->block_num());
}

void controller::integrate_received_qc(const block_state& b) {
   if (!b.is_proper_savanna())
      return;
   auto bx = decode_block_extensions(b.block->block_extensions);
   if (!bx || !bx->qc)
      return;
   const auto& qc = bx->qc->qc;
   auto claimed = forkdb_->search_on_branch(b.previous(), qc.block_num);
   if (claimed && claimed != forkdb_->root()) {
      claimed->attach_votes();
      if (claimed->votes)
         claimed->votes->set_received_qc(qc);
   }
}

std::pair<qc_claim, std::optional<quorum_certificate>> controller::qc_for_next_block() const {
   const auto& parent = head_->bhs;
   const qc_claim parent_claim = parent.savanna->core.latest_qc_claim();
   for (const auto& b : forkdb_->fetch_branch(head_->id())) {
      if (!b->votes)
         continue;
      auto qc = b->votes->best_qc(b->block_num());
      if (!qc)
         continue;
      const auto claim = qc->to_qc_claim();
      if (parent_claim < claim)
         return {claim, std::move(qc)};
      return {parent_claim, std::nullopt}; // nothing newer: repeat the parent's claim
   }
   return {parent_claim, std::nullopt};
}

result<bool> controller::finish_savanna_header(signed_block& b, const produce_options& o) const {
   const auto& parent = head_->bhs;
   const auto& sv = *parent.savanna;
   auto [claim, qc] = qc_for_next_block();
   auto mroot = sv.finality_mroot_claim(claim);
   if (!mroot)
      return unexpected{fmt::format("block {}: cannot produce a Savanna block without the finality tree (the chain's action "
                                    "roots are unknown: controller_config::project_action_mroots)",
                                    b.block_num())};
   b.action_mroot = *mroot;

   finality_extension f;
   f.qc_claim = claim;
   if (o.propose_finalizers) {
      auto p = *o.propose_finalizers;
      p.generation = sv.finalizer_policy_generation + 1;
      f.new_finalizer_policy_diff = sv.last_proposed_finalizer_policy().create_diff(p);
   }
   if (o.propose_schedule) {
      // Spring's get_next_proposer_schedule_version: compared with the last one in flight, or
      // the one active for this block.
      const auto producers = producer_authority_schedule::from_legacy(*o.propose_schedule).producers;
      const producer_authority_schedule* last = nullptr;
      if (sv.latest_proposed_proposer_policy)
         last = &sv.latest_proposed_proposer_policy->proposer_schedule;
      else if (sv.latest_pending_proposer_policy)
         last = &sv.latest_pending_proposer_policy->proposer_schedule;
      if (!last) // the policy this block is produced under (a promotion may happen at it)
         last = &parent.active_proposer_policy_for_block_at(b.timestamp)->proposer_schedule;
      if (producers != last->producers) {
         proposer_policy target;
         target.proposal_time = b.timestamp;
         target.proposer_schedule = {last->version + 1, producers};
         f.new_proposer_policy_diff = sv.last_proposed_proposer_policy().create_diff(target);
      }
   }
   b.header_extensions = {extension(finality_extension::extension_id, f)};
   b.block_extensions.clear();
   if (qc)
      b.block_extensions.push_back(extension(quorum_certificate_extension::extension_id, quorum_certificate_extension{*qc}));
   return true;
}

std::optional<finality_extension> controller::transition_extension(const produce_options& o) const {
   const auto& parent = head_->bhs;
   if (parent.savanna) // a transition block after the genesis: repeat its claim
      return finality_extension{parent.header_exts.finality->qc_claim, {}, {}};
   if (!o.activate_savanna)
      return std::nullopt;
   auto p = *o.activate_savanna;
   p.generation = 1;
   return finality_extension{{parent.block_num + 1, false}, finalizer_policy{}.create_diff(p), {}};
}

} // namespace core
