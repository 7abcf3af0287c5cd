// The Savanna half of block_header_state: the genesis and transition states, proper Savanna
// blocks, and the digests (Spring block_header_state.cpp, block_state.cpp, controller.cpp's
// block invariants).
#include "chain/block_header_state.hpp"

#include "chain/qc_verification.hpp"
#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

#include <fmt/format.h>

namespace core {

namespace {

template <class... Args>
unexpected<std::string> fail(uint32_t block_num, fmt::format_string<Args...> f, Args&&... args) {
   return unexpected(fmt::format("block {}: {}", block_num, fmt::format(f, std::forward<Args>(args)...)));
}

std::string claim_string(const qc_claim& c) { return fmt::format("({}, {})", c.block_num, c.is_strong_qc ? "strong" : "weak"); }

/// Spring's compute_base_digest: every field of the header state that is not a digest.
checksum256 compute_base_digest(const block_header& h, const savanna_state& s, const protocol_feature_set& features) {
   byte_writer w;
   pack_to(w, h);
   s.core.pack_for_digest(w);
   pack_to(w, s.proposed_finalizer_policies);
   pack_to(w, s.pending_finalizer_policy);
   pack_to(w, *s.active_proposer_policy);
   pack_to(w, s.latest_proposed_proposer_policy);
   pack_to(w, s.latest_pending_proposer_policy);
   pack_to(w, features);
   return sha256(w.bytes());
}

/// Spring's compute_finality_digest: level-3 commitments (finality violation proofs), level-2
/// (finalizer policy transitions), then finality_digest_data_v1.
checksum256 compute_finality_digest(const block_header& h, const savanna_state& s) {
   const uint32_t qc_num = s.core.latest_qc_claim().block_num;
   const block_ref ref = s.core.is_genesis_core() ? block_ref{} : s.core.get_block_reference(qc_num);
   byte_writer w;
   s.core.reversible_blocks_mroot().pack(w);
   w.write_int(qc_num);
   ref.finality_digest.pack(w);
   ref.timestamp.pack(w);
   h.timestamp.pack(w);
   s.base_digest.pack(w);
   const checksum256 l3 = sha256(w.bytes());

   w.clear();
   s.last_pending_finalizer_policy_digest.pack(w);
   s.last_pending_finalizer_policy_start_timestamp.pack(w);
   l3.pack(w);
   const checksum256 l2 = sha256(w.bytes());

   w.clear();
   w.write_int(uint32_t(1)); // light header protocol version major
   w.write_int(uint32_t(0)); // minor
   w.write_int(s.active_finalizer_policy->generation);
   w.write_int(s.last_pending_finalizer_policy().generation);
   (h.is_proper_savanna() ? h.action_mroot : checksum256{}).pack(w);
   l2.pack(w);
   return sha256(w.bytes());
}

/// Fills the derived digests of a state built for header `h`.
void finish_digests(const block_header& h, savanna_state& s, const protocol_feature_set& features) {
   s.base_digest = compute_base_digest(h, s, features);
   s.finality_digest = compute_finality_digest(h, s);
}

/// Spring's get_active_proposer_policy_for_block_at: the policy a child at `next` is produced
/// under. Precondition: next > current.
const proposer_policy_ptr& active_proposer_policy_for(const savanna_state& s, block_timestamp current,
                                                      block_timestamp next) {
   using namespace savanna_rounds;
   if (in_same_round(next, current))
      return s.active_proposer_policy;
   if (!s.latest_proposed_proposer_policy && !s.latest_pending_proposer_policy)
      return s.active_proposer_policy;
   const auto prior = prior_round_start_slot(current);
   const auto last_final = s.core.last_final_block_timestamp();
   if (s.latest_proposed_proposer_policy && prior && s.latest_proposed_proposer_policy->proposal_time.slot < *prior &&
       s.latest_proposed_proposer_policy->proposal_time <= last_final)
      return s.latest_proposed_proposer_policy;
   if (s.latest_pending_proposer_policy && s.latest_pending_proposer_policy->proposal_time <= last_final)
      return s.latest_pending_proposer_policy;
   return s.active_proposer_policy;
}

const producer_authority& slot_producer(const std::vector<producer_authority>& producers, block_timestamp t) {
   const auto index = t.slot % (static_cast<uint32_t>(producers.size()) * producer_repetitions);
   return producers[index / producer_repetitions];
}

/// Spring's evaluate_finalizer_policies_for_promotion: pending → active when its block is
/// final; the newest proposed policy whose block is final → pending when the slot is free.
void promote_finalizer_policies(const savanna_state& prev, savanna_state& next, uint32_t next_block_num,
                                block_timestamp next_timestamp) {
   if (!prev.pending_finalizer_policy && prev.proposed_finalizer_policies.empty())
      return;
   const uint32_t lib = next.core.last_final_block_num();
   bool pending_slot_open = true;
   if (prev.pending_finalizer_policy) {
      if (prev.pending_finalizer_policy->first <= lib) {
         next.active_finalizer_policy = prev.pending_finalizer_policy->second;
      } else {
         next.pending_finalizer_policy = prev.pending_finalizer_policy;
         pending_slot_open = false;
      }
   }
   const auto& proposed = prev.proposed_finalizer_policies;
   if (proposed.empty())
      return;
   auto first_reversible = std::find_if(proposed.begin(), proposed.end(), [&](const auto& p) { return p.first > lib; });
   if (first_reversible == proposed.begin()) {
      next.proposed_finalizer_policies = proposed;
      return;
   }
   const auto target = first_reversible - 1;
   if (pending_slot_open) {
      next.pending_finalizer_policy.emplace(next_block_num, target->second);
      next.last_pending_finalizer_policy_start_timestamp = next_timestamp;
   } else {
      next.proposed_finalizer_policies.push_back(*target);
   }
   next.proposed_finalizer_policies.insert(next.proposed_finalizer_policies.end(), first_reversible, proposed.end());
}

/// Spring's evaluate_proposer_policies_for_promotion.
void promote_proposer_policies(const savanna_state& prev, block_timestamp prev_ts, savanna_state& next,
                               block_timestamp next_ts) {
   const auto& new_policy = active_proposer_policy_for(prev, prev_ts, next_ts);
   if (new_policy != next.active_proposer_policy) {
      next.active_proposer_policy = new_policy;
      if (next.latest_proposed_proposer_policy && new_policy == next.latest_proposed_proposer_policy) {
         next.latest_proposed_proposer_policy = nullptr;
         next.latest_pending_proposer_policy = nullptr;
      } else if (next.latest_pending_proposer_policy && new_policy == next.latest_pending_proposer_policy) {
         next.latest_pending_proposer_policy = nullptr;
      }
   }
   if (savanna_rounds::first_block_of_round(next_ts, prev_ts) && next.latest_proposed_proposer_policy &&
       !next.latest_pending_proposer_policy) {
      next.latest_pending_proposer_policy = next.latest_proposed_proposer_policy;
      next.latest_proposed_proposer_policy = nullptr;
   }
}

} // namespace

bool block_header_state::is_savanna_critical() const {
   auto g = savanna_genesis_block_num();
   return g && !is_proper_savanna() && dpos_irreversible_blocknum >= *g;
}

std::optional<uint32_t> block_header_state::savanna_genesis_block_num() const {
   if (!savanna || is_proper_savanna() || !header_exts.finality)
      return std::nullopt;
   return header_exts.finality->qc_claim.block_num;
}

uint32_t block_header_state::irreversible_blocknum() const {
   if (is_proper_savanna())
      return savanna->core.last_final_block_num();
   if (auto g = savanna_genesis_block_num())
      return std::min(*g, dpos_irreversible_blocknum);
   return dpos_irreversible_blocknum;
}

const producer_authority& block_header_state::producer_for_block_at(block_timestamp t) const {
   if (savanna && (is_proper_savanna() || is_savanna_critical()))
      return slot_producer(active_proposer_policy_for(*savanna, header.timestamp, t)->proposer_schedule.producers, t);
   return scheduled_producer(t);
}

const proposer_policy_ptr& block_header_state::active_proposer_policy_for_block_at(block_timestamp t) const {
   return active_proposer_policy_for(*savanna, header.timestamp, t);
}

block_ref block_header_state::make_block_ref() const {
   return {id, header.timestamp, savanna->finality_digest, savanna->active_finalizer_policy->generation,
           savanna->pending_finalizer_policy_generation()};
}

result<qc_policies> block_header_state::qc_policies_for(uint32_t num) const {
   if (!savanna)
      return fail(block_num, "not a Savanna block: no finalizer policies");
   auto p = savanna->finalizer_policies_for(num, make_block_ref());
   if (!p)
      return fail(block_num, "{}", p.error());
   return p;
}

result<std::shared_ptr<const savanna_state>> block_header_state::savanna_genesis(const block_header_state& g,
                                                                               const next_options& opts) {
   const auto& f = *g.header_exts.finality;
   auto s = std::make_shared<savanna_state>();
   auto active = finalizer_policy{}.apply_diff(*f.new_finalizer_policy_diff);
   if (!active)
      return fail(g.block_num, "Savanna genesis: {}", active.error());
   s->active_finalizer_policy = std::make_shared<const finalizer_policy>(std::move(*active));
   s->core = finality_core::genesis(g.id, g.header.timestamp);
   s->last_pending_finalizer_policy_digest = s->active_finalizer_policy->digest();
   s->last_pending_finalizer_policy_start_timestamp = g.header.timestamp;
   auto proposer = std::make_shared<proposer_policy>();
   proposer->proposer_schedule = g.active_schedule;
   s->active_proposer_policy = std::move(proposer);
   s->finalizer_policy_generation = 1;
   finish_digests(g.header, *s, *g.activated_features);
   if (opts.savanna_action_mroot) {
      auto tree = std::make_shared<finality_tree>();
      tree->validation_tree.append(finality_leaf_digest(g.block_num, g.header.timestamp, block_timestamp{},
                                                        s->finality_digest, *opts.savanna_action_mroot));
      tree->validation_mroots.push_back(tree->validation_tree.root());
      s->valid = std::move(tree);
   }
   return std::shared_ptr<const savanna_state>(std::move(s));
}

result<std::shared_ptr<const savanna_state>> block_header_state::next_savanna(const block_header_state& r,
                                                                            const next_options& opts) const {
   const savanna_state& prev = *savanna;
   const auto& h = r.header;
   const auto& f = *r.header_exts.finality;
   const uint32_t num = r.block_num;

   // Spring's block_header_state::next(h): the producer of the proposer policy, no legacy schedule.
   const auto& proposer = slot_producer(active_proposer_policy_for(prev, header.timestamp, h.timestamp)->proposer_schedule.producers,
                                        h.timestamp);
   if (h.producer != proposer.producer_name)
      return fail(num, "producer {} is not the proposer scheduled for slot {} (expected {})", h.producer.to_string(),
                  h.timestamp.slot, proposer.producer_name.to_string());
   if (h.new_producers)
      return fail(num, "a Savanna block carries a legacy new_producers schedule");

   if (h.is_proper_savanna()) {
      // The finality mroot is empty exactly when the claimed block is the Savanna genesis.
      const auto md = prev.core.next_metadata(f.qc_claim);
      const bool no_tree = prev.core.is_genesis_block_num(md.latest_qc_claim_block_num);
      if (no_tree != h.action_mroot.empty())
         return fail(num, "finality mroot (action_mroot) {} {} but the QC claim on block {} {} a finality tree",
                     h.action_mroot.to_string(), h.action_mroot.empty() ? "is empty" : "is set",
                     md.latest_qc_claim_block_num, no_tree ? "has no" : "has");
      if (auto want = prev.finality_mroot_claim(f.qc_claim); want && *want != h.action_mroot)
         return fail(num, "finality mroot (action_mroot) {} does not match the finality tree's root {} for block {}",
                     h.action_mroot.to_string(), want->to_string(), md.latest_qc_claim_block_num);
   }

   auto s = std::make_shared<savanna_state>();
   s->active_proposer_policy = prev.active_proposer_policy;
   s->latest_proposed_proposer_policy = prev.latest_proposed_proposer_policy;
   s->latest_pending_proposer_policy = prev.latest_pending_proposer_policy;
   promote_proposer_policies(prev, header.timestamp, *s, h.timestamp);
   if (f.new_proposer_policy_diff) {
      auto p = prev.last_proposed_proposer_policy().apply_diff(*f.new_proposer_policy_diff);
      if (!p)
         return fail(num, "{}", p.error());
      if (p->proposer_schedule.producers.empty())
         return fail(num, "proposer policy diff leaves no proposers");
      s->latest_proposed_proposer_policy = std::make_shared<const proposer_policy>(std::move(*p));
   }

   auto next_core = prev.core.next(make_block_ref(), f.qc_claim);
   if (!next_core)
      return fail(num, "{}", next_core.error());
   s->core = std::move(*next_core);

   s->active_finalizer_policy = prev.active_finalizer_policy;
   s->last_pending_finalizer_policy_start_timestamp = prev.last_pending_finalizer_policy_start_timestamp;
   promote_finalizer_policies(prev, *s, num, h.timestamp);
   s->last_pending_finalizer_policy_digest = s->last_pending_finalizer_policy().digest();

   if (f.new_finalizer_policy_diff) {
      auto p = prev.last_proposed_finalizer_policy().apply_diff(*f.new_finalizer_policy_diff);
      if (!p)
         return fail(num, "{}", p.error());
      if (p->generation <= prev.finalizer_policy_generation)
         return fail(num, "new finalizer policy generation {} is not greater than the previous {}", p->generation,
                     prev.finalizer_policy_generation);
      if (p->finalizers.empty())
         return fail(num, "finalizer policy diff leaves no finalizers");
      s->finalizer_policy_generation = p->generation;
      s->proposed_finalizer_policies.emplace_back(num, std::make_shared<const finalizer_policy>(std::move(*p)));
   } else {
      s->finalizer_policy_generation = prev.finalizer_policy_generation;
   }

   // The policy active at the latest QC claim's block, when a pending one has replaced it since.
   const uint32_t qc_num = s->core.latest_qc_claim().block_num;
   if (prev.active_finalizer_policy_generation(qc_num, block_num) != s->active_finalizer_policy->generation) {
      auto p = prev.finalizer_policies_for(qc_num, make_block_ref());
      if (!p)
         return fail(num, "{}", p.error());
      s->latest_qc_claim_block_active_finalizer_policy = p->active;
   }

   finish_digests(h, *s, *r.activated_features);

   if (prev.valid && opts.savanna_action_mroot) {
      auto tree = std::make_shared<finality_tree>();
      tree->validation_tree = prev.valid->validation_tree;
      const std::size_t start = s->core.last_final_block_num() - prev.core.last_final_block_num();
      if (start <= prev.valid->validation_mroots.size()) {
         tree->validation_mroots.assign(prev.valid->validation_mroots.begin() + static_cast<std::ptrdiff_t>(start),
                                        prev.valid->validation_mroots.end());
         tree->validation_tree.append(
            finality_leaf_digest(num, h.timestamp, header.timestamp, s->finality_digest, *opts.savanna_action_mroot));
         tree->validation_mroots.push_back(tree->validation_tree.root());
         s->valid = std::move(tree);
      }
   }
   return std::shared_ptr<const savanna_state>(std::move(s));
}

result<block_header_state> block_header_state::next_proper(const signed_block_header& h, decoded_header_extensions exts,
                                                           const decoded_block_extensions& bx,
                                                           const next_options& opts) const {
   const uint32_t num = block_num + 1;
   if (h.confirmed != 0)
      return fail(num, "a proper Savanna block confirms {} blocks; it must confirm 0", h.confirmed);
   if (exts.new_producer_schedule)
      return fail(num, "a proper Savanna block carries a producer schedule change extension");
   if (!exts.finality)
      return fail(num, "a proper Savanna block lacks the finality extension");

   // controller verify_basic_proper_block_invariants: the claim against the parent's.
   const qc_claim claim = exts.finality->qc_claim;
   const qc_claim prev_claim = savanna->core.latest_qc_claim();
   if (claim.block_num < prev_claim.block_num)
      return fail(num, "QC claim on block {} is older than the previous block's claim on block {}", claim.block_num,
                  prev_claim.block_num);
   if (claim.block_num > block_num)
      return fail(num, "QC claim on block {} is beyond the previous block {}", claim.block_num, block_num);
   if (claim == prev_claim) {
      if (bx.qc)
         return fail(num, "carries a QC but repeats the previous block's claim {}", claim_string(claim));
   } else {
      if (claim.block_num == prev_claim.block_num && !claim.is_strong_qc)
         return fail(num, "QC claim {} is weaker than the previous block's {}", claim_string(claim), claim_string(prev_claim));
      if (!bx.qc)
         return fail(num, "makes a new QC claim {} without a QC", claim_string(claim));
      const auto& qc = bx.qc->qc;
      if (qc.block_num != claim.block_num)
         return fail(num, "QC is on block {} but the claim is on block {}", qc.block_num, claim.block_num);
      if (qc.is_strong() != claim.is_strong_qc)
         return fail(num, "QC is {} but the claim is {}", qc.is_strong() ? "strong" : "weak",
                     claim.is_strong_qc ? "strong" : "weak");
      auto policies = qc_policies_for(qc.block_num);
      if (!policies)
         return unexpected(policies.error());
      if (auto ok = verify_qc_basic(qc, *policies); !ok)
         return fail(num, "QC on block {}: {}", qc.block_num, ok.error());
   }

   block_header_state r;
   r.block_num = num;
   if (auto ok = take_block(r, h, std::move(exts), bx); !ok)
      return unexpected(ok.error());
   // The legacy fields no longer change; the schedule shown is the active proposer policy's.
   r.dpos_proposed_irreversible_blocknum = dpos_proposed_irreversible_blocknum;
   r.dpos_irreversible_blocknum = dpos_irreversible_blocknum;
   r.pending_schedule = pending_schedule;
   r.blockroot_merkle = blockroot_merkle;
   r.producer_to_last_produced = producer_to_last_produced;
   r.producer_to_last_implied_irb = producer_to_last_implied_irb;
   r.confirm_count = confirm_count;

   auto s = next_savanna(r, opts);
   if (!s)
      return unexpected(s.error());
   r.savanna = std::move(*s);
   r.active_schedule = r.savanna->active_proposer_policy->proposer_schedule;
   r.valid_block_signing_authority = producer_for_block_at(h.timestamp).authority;

   if (opts.verify_signee) {
      if (auto k = r.verify_signee(); !k)
         return unexpected(k.error());
   }
   return r;
}

decode_errc block_header_state::finish_unpack(std::string& detail) {
   auto exts = decode_header_extensions(header.header_extensions);
   if (!exts) {
      detail = "header_extensions: " + exts.error().message();
      return exts.error().code;
   }
   header_exts = std::move(*exts);
   if (!activated_features) {
      detail = "activated_features: missing";
      return decode_errc::bad_value;
   }
   if (!savanna)
      return decode_errc::ok;
   // A stored Savanna state must hold what every function here relies on.
   const auto& sv = *savanna;
   auto bad = [&](std::string what) {
      detail = "savanna: " + std::move(what);
      return decode_errc::bad_value;
   };
   if (!header_exts.finality)
      return bad("the header has no finality extension");
   if (!sv.active_finalizer_policy || !sv.active_proposer_policy || sv.active_proposer_policy->proposer_schedule.producers.empty())
      return bad("an active policy is missing");
   if (sv.core.links.empty() || sv.core.current_block_num() != block_num ||
       sv.core.refs.size() != sv.core.current_block_num() - sv.core.last_final_block_num() ||
       sv.core.links.size() != sv.core.current_block_num() - sv.core.links.front().source_block_num + 1)
      return bad("the finality core is inconsistent with the block");
   for (const auto& [n, p] : sv.proposed_finalizer_policies)
      if (!p)
         return bad("a proposed finalizer policy is missing");
   if (sv.pending_finalizer_policy && !sv.pending_finalizer_policy->second)
      return bad("the pending finalizer policy is missing");
   auto full = std::make_shared<savanna_state>(sv);
   finish_digests(header, *full, *activated_features);
   savanna = std::move(full);
   return decode_errc::ok;
}

} // namespace core
