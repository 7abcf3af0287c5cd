#include "chain/qc_verification.hpp"

#include "crypto/bls/aggregate.hpp"
#include "crypto/bls/verify.hpp"

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

/// The sum of the keys of the finalizers set in `bits` (Spring reads min(bits, finalizers)).
bls::aggregate_public_key voters(const finalizer_policy& p, const vote_bitset& bits) {
   bls::aggregate_public_key sum;
   const std::size_t n = std::min(p.finalizers.size(), bits.size());
   for (std::size_t i = 0; i < n; ++i)
      if (bits.test(i))
         sum.add(p.finalizers[i].public_key);
   return sum;
}

result<bool> verify_signature(const qc_sig& s, const finalizer_policy& p, const checksum256& digest, bool pending) {
   auto sig = bls::signature::from_bytes(s.sig.data);
   if (!sig)
      return unexpected{fmt::format("{} policy signature is not a valid BLS signature: {}", policy_name(pending),
                                    bls::to_string(sig.error()))};
   const auto weak = make_weak_digest(digest);
   std::vector<bls::aggregate_public_key> keys;
   std::vector<std::span<const uint8_t>> messages;
   if (s.strong_votes) {
      keys.push_back(voters(p, *s.strong_votes));
      messages.emplace_back(digest.data);
   }
   if (s.weak_votes) {
      keys.push_back(voters(p, *s.weak_votes));
      messages.emplace_back(weak);
   }
   if (!bls::aggregate_verify(keys, messages, *sig))
      return unexpected{fmt::format("{} policy aggregate signature does not verify against the {} finality digest {}",
                                    policy_name(pending), s.is_strong() ? "strong" : "strong and weak", digest.to_string())};
   return true;
}

} // namespace

result<bool> verify_qc_signature(const quorum_certificate& qc, const qc_policies& policies) {
   if (auto r = verify_signature(qc.active_policy_sig, *policies.active, policies.finality_digest, false); !r)
      return r;
   if (qc.pending_policy_sig && policies.pending)
      return verify_signature(*qc.pending_policy_sig, *policies.pending, policies.finality_digest, true);
   return true;
}

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

namespace core {

std::optional<result<bool>> verify_block_qc(const block_header_state& parent, const signed_block& b) {
   auto bx = decode_block_extensions(b.block_extensions);
   if (!bx || !bx->qc)
      return std::nullopt; // a bad extension fails next() before this is asked
   const auto& qc = bx->qc->qc;
   auto policies = parent.qc_policies_for(qc.block_num);
   if (!policies)
      return result<bool>(unexpected{policies.error()});
   if (auto ok = verify_qc_signature(qc, *policies); !ok)
      return result<bool>(unexpected{fmt::format("block {}: QC on block {}: {}", b.block_num(), qc.block_num, ok.error())});
   return result<bool>(true);
}

} // namespace core
