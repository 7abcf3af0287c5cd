#include "chain/qc_verification.hpp"

#include <fmt/format.h>

namespace core {

namespace {

const char* policy_name(bool pending) { return pending ? "pending" : "active"; }

result<bool> verify_vote_format(const qc_sig& s, const finalizer_policy& p, bool pending) {
   if (!s.strong_votes && !s.weak_votes)
      return unexpected{fmt::format("{} policy signature has neither strong nor weak votes", policy_name(pending))};
   const std::size_t n = p.finalizers.size();
   for (const auto* bits : {s.strong_votes ? &*s.strong_votes : nullptr, s.weak_votes ? &*s.weak_votes : nullptr})
      if (bits && bits->size() != n)
         return unexpected{fmt::format("{} policy vote bitset has {} bits for {} finalizers (generation {})",
                                       policy_name(pending), bits->size(), n, p.generation)};
   if (s.strong_votes && s.weak_votes)
      for (std::size_t i = 0; i < n; ++i)
         if (s.strong_votes->test(i) && s.weak_votes->test(i))
            return unexpected{fmt::format("{} policy finalizer {} voted both strong and weak", policy_name(pending), i)};
   return true;
}

result<bool> verify_weights(const qc_sig& s, const finalizer_policy& p, bool pending) {
   auto weight = [&](const std::optional<vote_bitset>& bits) {
      uint64_t sum = 0;
      if (bits)
         for (std::size_t i = 0; i < p.finalizers.size(); ++i)
            if (bits->test(i))
               sum += p.finalizers[i].weight;
      return sum;
   };
   const uint64_t strong = weight(s.strong_votes), weak = weight(s.weak_votes);
   if (s.is_strong() && strong < p.threshold)
      return unexpected{fmt::format("{} policy strong quorum not met: strong weight {}, threshold {}", policy_name(pending),
                                    strong, p.threshold)};
   if (!s.is_strong() && strong + weak < p.threshold)
      return unexpected{fmt::format("{} policy weak quorum not met: strong weight {} + weak weight {}, threshold {}",
                                    policy_name(pending), strong, weak, p.threshold)};
   return true;
}

bool voted_strong(const qc_sig& s, std::size_t i) { return s.strong_votes && s.strong_votes->test(i); }
bool voted_weak(const qc_sig& s, std::size_t i) { return s.weak_votes && s.weak_votes->test(i); }

} // namespace

result<bool> verify_qc_basic(const quorum_certificate& qc, const qc_policies& policies) {
   const auto& active = *policies.active;
   if (auto r = verify_vote_format(qc.active_policy_sig, active, false); !r)
      return r;
   if (auto r = verify_weights(qc.active_policy_sig, active, false); !r)
      return r;
   if (!qc.pending_policy_sig) {
      if (policies.pending)
         return unexpected{fmt::format("QC lacks the signature of the pending finalizer policy (generation {})",
                                       policies.pending->generation)};
      return true;
   }
   if (!policies.pending)
      return unexpected{std::string("QC has a pending policy signature but the block has no pending finalizer policy")};
   const auto& pending = *policies.pending;
   // Spring checks the dual finalizers before the pending bitsets' sizes; a short bitset then
   // simply reads as "not voted".
   const auto& a = qc.active_policy_sig;
   const auto& p = *qc.pending_policy_sig;
   for (std::size_t i = 0; i < active.finalizers.size(); ++i)
      for (std::size_t j = 0; j < pending.finalizers.size(); ++j)
         if (active.finalizers[i].public_key == pending.finalizers[j].public_key) {
            if (voted_strong(a, i) != voted_strong(p, j) || voted_weak(a, i) != voted_weak(p, j))
               return unexpected{fmt::format("finalizer {} ({}) voted differently in the active and pending policies", i,
                                             active.finalizers[i].description)};
            break;
         }
   if (auto r = verify_vote_format(p, pending, true); !r)
      return r;
   return verify_weights(p, pending, true);
}

} // namespace core
