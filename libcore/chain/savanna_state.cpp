#include "chain/savanna_state.hpp"

#include "chain/block_header_state.hpp"
#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

#include <fmt/format.h>

namespace core {

namespace {
constexpr uint32_t light_header_protocol_version_major = 1;
constexpr uint32_t light_header_protocol_version_minor = 0;
/// Slots in a proposer round (config::producer_repetitions).
constexpr uint32_t round_slots = producer_repetitions;
} // namespace

checksum256 finality_leaf_digest(uint32_t block_num, block_timestamp timestamp, block_timestamp parent_timestamp,
                                 const checksum256& finality_digest, const checksum256& action_mroot) {
   byte_writer w;
   w.write_int(light_header_protocol_version_major);
   w.write_int(light_header_protocol_version_minor);
   w.write_int(block_num);
   timestamp.pack(w);
   parent_timestamp.pack(w);
   finality_digest.pack(w);
   action_mroot.pack(w);
   return sha256(w.bytes());
}

const finalizer_policy& savanna_state::last_proposed_finalizer_policy() const {
   if (!proposed_finalizer_policies.empty())
      return *proposed_finalizer_policies.back().second;
   if (pending_finalizer_policy)
      return *pending_finalizer_policy->second;
   return *active_finalizer_policy;
}

const finalizer_policy& savanna_state::last_pending_finalizer_policy() const {
   return pending_finalizer_policy ? *pending_finalizer_policy->second : *active_finalizer_policy;
}

const proposer_policy& savanna_state::last_proposed_proposer_policy() const {
   if (latest_proposed_proposer_policy)
      return *latest_proposed_proposer_policy;
   if (latest_pending_proposer_policy)
      return *latest_pending_proposer_policy;
   return *active_proposer_policy;
}

uint32_t savanna_state::active_finalizer_policy_generation(uint32_t num, uint32_t own_block_num) const {
   if (num == own_block_num)
      return active_finalizer_policy->generation;
   return core.get_block_reference(num).active_policy_generation;
}

result<qc_policies> savanna_state::finalizer_policies_for(uint32_t num, const block_ref& self) const {
   const uint32_t own = self.block_num();
   if (num > own || num < core.latest_qc_claim().block_num)
      return unexpected{fmt::format("no finalizer policies for block {} at block {} (QC claims start at {})", num, own,
                                    core.latest_qc_claim().block_num)};
   const block_ref& ref = num == own ? self : core.get_block_reference(num);
   qc_policies out;
   out.finality_digest = ref.finality_digest;
   if (active_finalizer_policy->generation == ref.active_policy_generation)
      out.active = active_finalizer_policy;
   else if (latest_qc_claim_block_active_finalizer_policy &&
            latest_qc_claim_block_active_finalizer_policy->generation == ref.active_policy_generation)
      out.active = latest_qc_claim_block_active_finalizer_policy;
   else
      return unexpected{fmt::format("finalizer policy generation {} active at block {} is not tracked",
                                    ref.active_policy_generation, num)};
   if (ref.pending_policy_generation == 0)
      out.pending = nullptr;
   else if (ref.pending_policy_generation == active_finalizer_policy->generation)
      out.pending = active_finalizer_policy;
   else if (pending_finalizer_policy && pending_finalizer_policy->second->generation == ref.pending_policy_generation)
      out.pending = pending_finalizer_policy->second;
   else
      return unexpected{fmt::format("finalizer policy generation {} pending at block {} is not tracked",
                                    ref.pending_policy_generation, num)};
   return out;
}

std::optional<checksum256> savanna_state::finality_mroot_claim(const qc_claim& claim) const {
   if (!valid)
      return std::nullopt;
   const auto md = core.next_metadata(claim);
   if (core.is_genesis_block_num(md.latest_qc_claim_block_num))
      return checksum256{};
   const uint32_t low = core.last_final_block_num();
   const std::size_t i = md.latest_qc_claim_block_num - low;
   if (md.latest_qc_claim_block_num < low || i >= valid->validation_mroots.size())
      return std::nullopt; // the tree does not reach that far back (a damaged state)
   return valid->validation_mroots[i];
}

namespace savanna_rounds {
uint32_t round_start_slot(block_timestamp t) { return t.slot - t.slot % round_slots; }
bool in_same_round(block_timestamp next, block_timestamp current) {
   return next.slot < round_start_slot(current) + round_slots;
}
std::optional<uint32_t> prior_round_start_slot(block_timestamp t) {
   if (t.slot < round_slots)
      return std::nullopt;
   return round_start_slot(t) - round_slots;
}
bool first_block_of_round(block_timestamp block, block_timestamp parent) {
   return parent.slot < round_start_slot(block);
}
} // namespace savanna_rounds

} // namespace core
