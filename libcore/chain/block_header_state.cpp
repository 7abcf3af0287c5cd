#include "chain/block_header_state.hpp"

#include "codec/codec.hpp"
#include "crypto/recover.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace core {

namespace {

template <class... Args>
unexpected<std::string> fail(uint32_t block_num, fmt::format_string<Args...> f, Args&&... args) {
   return unexpected(fmt::format("block {}: {}", block_num, fmt::format(f, std::forward<Args>(args)...)));
}

const block_signing_authority_v0& authority_v0(const block_signing_authority& a) {
   return std::get<block_signing_authority_v0>(a);
}

/// Leap's confirmation step: append a counter for the new block, then decrement the counters
/// of the newest `confirmed + 1` blocks; the first to reach zero becomes the proposed LIB and
/// it and everything older are dropped. Returns the new proposed LIB.
uint32_t apply_confirmations(std::vector<uint8_t>& counts, uint32_t new_block_num, uint16_t confirmed,
                             uint32_t required, uint32_t proposed_lib) {
   if (counts.size() >= max_tracked_dpos_confirmations)
      counts.erase(counts.begin());
   counts.push_back(static_cast<uint8_t>(required));

   int64_t i = static_cast<int64_t>(counts.size()) - 1;
   uint32_t to_confirm = uint32_t(confirmed) + 1; // the head block is confirmed implicitly
   while (i >= 0 && to_confirm > 0) {
      if (--counts[i] == 0) {
         proposed_lib = new_block_num - static_cast<uint32_t>(counts.size() - 1 - i);
         counts.erase(counts.begin(), counts.begin() + i + 1);
         break;
      }
      --i;
      --to_confirm;
   }
   return proposed_lib;
}

} // namespace

block_header_state block_header_state::genesis(const genesis_state& g) {
   block_header_state s;
   const auto legacy = g.initial_schedule();
   s.active_schedule = producer_authority_schedule::from_legacy(legacy);
   s.pending_schedule.schedule = s.active_schedule;
   s.pending_schedule.schedule_hash = schedule_hash(legacy);
   s.header = static_cast<const signed_block_header&>(g.genesis_block());
   s.id = s.header.calculate_id();
   s.block_num = s.header.block_num();
   s.activated_features = std::make_shared<const protocol_feature_set>();
   return s;
}

result<bool> block_header_state::take_block(block_header_state& r, const signed_block_header& h,
                                            decoded_header_extensions exts, const decoded_block_extensions& bx) const {
   r.header = h;
   r.id = h.calculate_id();
   r.header_exts = std::move(exts);
   if (bx.additional_signatures)
      r.additional_signatures = bx.additional_signatures->signatures;
   r.activated_features = activated_features;
   if (!r.header_exts.feature_activation)
      return true;
   auto set = std::make_shared<protocol_feature_set>(*activated_features);
   for (const auto& f : r.header_exts.feature_activation->protocol_features) {
      auto at = std::lower_bound(set->begin(), set->end(), f);
      if (at != set->end() && *at == f)
         return fail(block_num + 1, "protocol feature {} is activated twice", f.to_string());
      set->insert(at, f);
   }
   r.activated_features = std::move(set);
   return true;
}

const producer_authority& block_header_state::scheduled_producer(block_timestamp t) const {
   const auto& ps = active_schedule.producers;
   auto index = t.slot % (static_cast<uint32_t>(ps.size()) * producer_repetitions);
   return ps[index / producer_repetitions];
}

uint32_t block_header_state::calc_dpos_last_irreversible(name producer_of_next_block) const {
   std::vector<uint32_t> nums;
   nums.reserve(producer_to_last_implied_irb.size());
   for (const auto& [prod, num] : producer_to_last_implied_irb)
      nums.push_back(prod == producer_of_next_block ? dpos_proposed_irreversible_blocknum : num);
   if (nums.empty())
      return 0;
   // 2/3 of the producers must have reached it: one third into the ascending list.
   auto index = (nums.size() - 1) / 3;
   std::nth_element(nums.begin(), nums.begin() + index, nums.end());
   return nums[index];
}

checksum256 block_header_state::sig_digest() const {
   return legacy_signing_digest(header.digest(), blockroot_merkle.root(), pending_schedule.schedule_hash);
}

checksum256 block_header_state::signing_digest() const { return is_proper_savanna() ? id : sig_digest(); }

result<public_key> block_header_state::verify_signee() const {
   const auto& auth = authority_v0(valid_block_signing_authority);
   if (1 + additional_signatures.size() > auth.keys.size())
      return fail(block_num, "{} block signatures exceed the {} keys of the signing authority of {}",
                  1 + additional_signatures.size(), auth.keys.size(), header.producer.to_string());

   const auto digest = signing_digest();
   auto producer_key = recover_key(header.producer_signature, digest);
   if (!producer_key)
      return fail(block_num, "bad producer signature: {}", producer_key.error());
   std::set<public_key> keys{*producer_key};
   for (const auto& s : additional_signatures) {
      auto k = recover_key(s, digest);
      if (!k)
         return fail(block_num, "bad additional block signature: {}", k.error());
      if (!keys.insert(*k).second)
         return fail(block_num, "block signed by the same key {} twice", k->to_string());
   }

   uint64_t weight = 0;
   std::size_t relevant = 0;
   for (const auto& kw : auth.keys) {
      if (keys.count(kw.key)) {
         weight += kw.weight;
         ++relevant;
      }
   }
   if (relevant != keys.size())
      return fail(block_num, "block signed by a key ({}) outside the signing authority of {}",
                  producer_key->to_string(), header.producer.to_string());
   if (weight < auth.threshold)
      return fail(block_num, "block signatures (weight {}) do not satisfy the threshold {} of {}", weight,
                  auth.threshold, header.producer.to_string());
   return *producer_key;
}

result<block_header_state> block_header_state::next_with_extensions(const signed_block_header& h,
                                                                     const decoded_block_extensions& bx,
                                                     const next_options& opts) const {
   const uint32_t num = block_num + 1;

   if (h.previous != id)
      return fail(h.block_num(), "previous {} does not link to {}", h.previous.to_string(), id.to_string());
   // Leap substitutes parent + 1 for a zero timestamp, which can then never match the header.
   if (h.timestamp.slot == 0 || h.timestamp <= header.timestamp)
      return fail(num, "timestamp {} is not after parent timestamp {}", h.timestamp.to_string(),
                  header.timestamp.to_string());
   if (opts.now && h.timestamp.slot > opts.now->slot + max_block_future_slots)
      return fail(num, "timestamp {} is more than 15 s after now ({})", h.timestamp.to_string(),
                  opts.now->to_string());

   auto exts = decode_header_extensions(h.header_extensions);
   if (!exts)
      return fail(num, "bad header extensions: {}", exts.error().message());

   if (h.is_proper_savanna()) {
      if (!is_proper_savanna() && !is_savanna_critical())
         return fail(num, "a proper Savanna block must follow a proper Savanna block or the critical transition block "
                          "(block {} is {})",
                     block_num, savanna ? "a transition block whose DPoS LIB has not reached the Savanna genesis"
                                        : "a legacy block");
      return next_proper(h, std::move(*exts), bx, opts);
   }
   if (is_proper_savanna())
      return fail(num, "schedule_version {} after a proper Savanna block (expected {})", h.schedule_version,
                  proper_savanna_schedule_version);
   if (is_savanna_critical())
      return fail(num, "schedule_version {}: the block after the critical transition block {} must be a proper Savanna "
                       "block (schedule_version {})",
                  h.schedule_version, block_num, proper_savanna_schedule_version);
   return next_legacy(h, *exts, bx, opts);
}

result<block_header_state> block_header_state::next(const signed_block_header& h, std::span<const signature> additional,
                                                     const next_options& opts) const {
   decoded_block_extensions bx;
   if (!additional.empty())
      bx.additional_signatures = additional_block_signatures_extension{{additional.begin(), additional.end()}};
   return next_with_extensions(h, bx, opts);
}

result<block_header_state> block_header_state::next_legacy(const signed_block_header& h,
                                                           const decoded_header_extensions& exts_in,
                                                           const decoded_block_extensions& bx,
                                                           const next_options& opts) const {
   const uint32_t num = block_num + 1;
   const auto* exts = &exts_in;

   // controller verify_legacy_block_invariants / verify_transition_block_invariants.
   if (bx.qc)
      return fail(num, "a {} block carries a QC extension", exts->finality ? "transition" : "legacy");
   if (!exts->finality && savanna)
      return fail(num, "a legacy block (no finality extension) cannot follow the Savanna transition block {}", block_num);
   if (exts->finality) {
      const auto& f = *exts->finality;
      if (f.new_proposer_policy_diff)
         return fail(num, "transition block carries a proposer policy diff");
      if (savanna) {
         if (f.qc_claim != header_exts.finality->qc_claim)
            return fail(num, "transition block QC claim ({}, {}) differs from the previous block's", f.qc_claim.block_num,
                        f.qc_claim.is_strong_qc);
         if (f.new_finalizer_policy_diff)
            return fail(num, "transition block after the Savanna genesis carries a finalizer policy diff");
      } else {
         if (f.qc_claim != qc_claim{num, false})
            return fail(num, "Savanna genesis block claims a QC on block {} ({}); it must claim itself, weak",
                        f.qc_claim.block_num, f.qc_claim.is_strong_qc ? "strong" : "weak");
         if (!f.new_finalizer_policy_diff)
            return fail(num, "Savanna genesis block lacks the genesis finalizer policy");
         auto g = finalizer_policy{}.apply_diff(*f.new_finalizer_policy_diff);
         if (!g)
            return fail(num, "Savanna genesis block: {}", g.error());
         if (g->generation != 1)
            return fail(num, "Savanna genesis finalizer policy generation {} is not 1", g->generation);
         if (g->finalizers.empty())
            return fail(num, "Savanna genesis finalizer policy has no finalizers");
      }
   }
   const auto& proauth = scheduled_producer(h.timestamp);
   if (h.producer != proauth.producer_name)
      return fail(num, "producer {} is not scheduled for slot {} (expected {})", h.producer.to_string(),
                  h.timestamp.slot, proauth.producer_name.to_string());

   if (auto it = producer_to_last_produced.find(proauth.producer_name); it != producer_to_last_produced.end()) {
      // uint32 arithmetic as in Leap.
      if (!(it->second < num - h.confirmed))
         return fail(num, "producer {} double-confirming known range (confirmed {}, last produced {})",
                     proauth.producer_name.to_string(), h.confirmed, it->second);
   }
   if (h.schedule_version != active_schedule.version)
      return fail(num, "schedule_version {} does not match the active schedule version {}", h.schedule_version,
                  active_schedule.version);

   block_header_state r;
   r.block_num = num;
   r.valid_block_signing_authority = proauth.authority;
   r.blockroot_merkle = blockroot_merkle;
   r.blockroot_merkle.append(id);

   // The schedule that was active at the parent is the one that confirms this block.
   const uint32_t required = static_cast<uint32_t>(active_schedule.producers.size() * 2 / 3) + 1;
   r.confirm_count = confirm_count;
   r.dpos_proposed_irreversible_blocknum =
      apply_confirmations(r.confirm_count, num, h.confirmed, required, dpos_proposed_irreversible_blocknum);
   r.dpos_irreversible_blocknum = calc_dpos_last_irreversible(proauth.producer_name);

   const bool promoted = !pending_schedule.schedule.producers.empty() &&
                         r.dpos_irreversible_blocknum >= pending_schedule.schedule_lib_num;
   if (promoted) {
      r.active_schedule = pending_schedule.schedule;
      for (const auto& p : r.active_schedule.producers) {
         const auto n = p.producer_name;
         if (n == proauth.producer_name) {
            r.producer_to_last_produced[n] = num;
            r.producer_to_last_implied_irb[n] = dpos_proposed_irreversible_blocknum;
            continue;
         }
         auto lp = producer_to_last_produced.find(n);
         r.producer_to_last_produced[n] = lp != producer_to_last_produced.end() ? lp->second : r.dpos_irreversible_blocknum;
         auto li = producer_to_last_implied_irb.find(n);
         r.producer_to_last_implied_irb[n] =
            li != producer_to_last_implied_irb.end() ? li->second : r.dpos_irreversible_blocknum;
      }
      // Leap records the producer of this block even when it left the schedule.
      r.producer_to_last_produced[proauth.producer_name] = num;
   } else {
      r.active_schedule = active_schedule;
      r.producer_to_last_produced = producer_to_last_produced;
      r.producer_to_last_produced[proauth.producer_name] = num;
      r.producer_to_last_implied_irb = producer_to_last_implied_irb;
      r.producer_to_last_implied_irb[proauth.producer_name] = dpos_proposed_irreversible_blocknum;
   }

   // New pending schedule: legacy new_producers, or header extension 1 (WTMsig). Leap allows
   // exactly one of them depending on WTMsig activation, so both together are rejected.
   if (h.new_producers && exts->new_producer_schedule)
      return fail(num, "both new_producers and producer_schedule_change_extension present");
   std::optional<producer_authority_schedule> new_schedule;
   checksum256 new_schedule_hash;
   if (h.new_producers) {
      new_schedule = producer_authority_schedule::from_legacy(*h.new_producers);
      new_schedule_hash = schedule_hash(*h.new_producers);
   } else if (exts->new_producer_schedule) {
      new_schedule = *exts->new_producer_schedule;
      new_schedule_hash = schedule_hash(*exts->new_producer_schedule);
   }
   if (new_schedule) {
      if (promoted)
         return fail(num, "cannot propose a producer schedule in the block that promotes the pending one");
      if (new_schedule->version != r.active_schedule.version + 1)
         return fail(num, "wrong producer schedule version {} (expected {})", new_schedule->version,
                     r.active_schedule.version + 1);
      if (!pending_schedule.schedule.producers.empty())
         return fail(num, "cannot propose producer schedule version {} while version {} is pending",
                     new_schedule->version, pending_schedule.schedule.version);
      r.pending_schedule.schedule = std::move(*new_schedule);
      r.pending_schedule.schedule_hash = new_schedule_hash;
      r.pending_schedule.schedule_lib_num = num;
   } else {
      r.pending_schedule = pending_schedule;
      if (promoted)
         r.pending_schedule.schedule = producer_authority_schedule{pending_schedule.schedule.version, {}};
   }

   if (auto ok = take_block(r, h, *exts, bx); !ok)
      return unexpected(ok.error());
   if (r.header_exts.finality) {
      auto sv = savanna ? next_savanna(r, opts) : savanna_genesis(r, opts);
      if (!sv)
         return unexpected(sv.error());
      r.savanna = std::move(*sv);
   }

   if (opts.verify_signee) {
      if (auto k = r.verify_signee(); !k)
         return unexpected(k.error());
   }
   return r;
}

result<block_header_state> block_header_state::next(const signed_block& b, const next_options& opts) const {
   auto bx = decode_block_extensions(b.block_extensions);
   if (!bx)
      return fail(b.block_num(), "bad block extensions: {}", bx.error().message());
   return next_with_extensions(static_cast<const signed_block_header&>(b), *bx, opts);
}

result<block_header_state> block_header_state::sign_next(signed_block_header& h, const private_key& key) const {
   next_options unsigned_opts;
   unsigned_opts.verify_signee = false;
   auto unsigned_state = next(h, std::span<const signature>{}, unsigned_opts);
   if (!unsigned_state)
      return unsigned_state;
   h.producer_signature = key.sign(unsigned_state->signing_digest());
   return next(h);
}

} // namespace core
