#pragma once
/// What a Savanna block carries about finality (Spring chain/finality_extension.hpp, qc.hpp,
/// block.hpp): header extension 2 (the QC claim and policy diffs) and block extension 3 (the
/// quorum certificate that justifies a new claim).
#include "types/bls_wire.hpp"
#include "types/finality_policies.hpp"
#include "types/vote_bitset.hpp"

#include <cereal/cereal.hpp>

#include <array>
#include <compare>
#include <cstdint>
#include <optional>

namespace core {

/// The schedule_version of a proper Savanna block (block_header::proper_svnn_schedule_version).
inline constexpr uint32_t proper_savanna_schedule_version = 0x80000000u;

struct qc_claim {
   uint32_t block_num = 0;
   bool is_strong_qc = false;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(block_num), CEREAL_NVP(is_strong_qc));
   }
   /// Spring's order: by block number, then weak before strong.
   auto operator<=>(const qc_claim&) const = default;
};

/// Header extension 2.
struct finality_extension {
   static constexpr uint16_t extension_id = 2;
   core::qc_claim qc_claim;
   std::optional<finalizer_policy_diff> new_finalizer_policy_diff;
   std::optional<proposer_policy_diff> new_proposer_policy_diff;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(qc_claim), CEREAL_NVP(new_finalizer_policy_diff), CEREAL_NVP(new_proposer_policy_diff));
   }
   bool operator==(const finality_extension&) const = default;
};

/// The votes of one finalizer policy in a QC: strong only (a strong QC), or both bitsets with
/// one aggregate signature over the strong digest and the weak digest (a weak QC).
struct qc_sig {
   std::optional<vote_bitset> strong_votes;
   std::optional<vote_bitset> weak_votes;
   bls_signature_bytes sig;

   bool is_weak() const { return weak_votes.has_value(); }
   bool is_strong() const { return !weak_votes; }

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(strong_votes), CEREAL_NVP(weak_votes), CEREAL_NVP(sig));
   }
   bool operator==(const qc_sig&) const = default;
};

/// Spring's qc_t: the certificate on block `block_num`, signed by its active policy's
/// finalizers and, when the block had a pending policy, by that one's too.
struct quorum_certificate {
   uint32_t block_num = 0;
   qc_sig active_policy_sig;
   std::optional<qc_sig> pending_policy_sig;

   bool is_strong() const { return active_policy_sig.is_strong() && (!pending_policy_sig || pending_policy_sig->is_strong()); }
   qc_claim to_qc_claim() const { return {block_num, is_strong()}; }

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(block_num), CEREAL_NVP(active_policy_sig), CEREAL_NVP(pending_policy_sig));
   }
   bool operator==(const quorum_certificate&) const = default;
};

/// Block extension 3.
struct quorum_certificate_extension {
   static constexpr uint16_t extension_id = 3;
   quorum_certificate qc;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(qc));
   }
   bool operator==(const quorum_certificate_extension&) const = default;
};

/// What a weak vote signs: the finality digest followed by the bytes "WEAK".
using weak_digest = std::array<uint8_t, 36>;
weak_digest make_weak_digest(const checksum256& finality_digest);

} // namespace core
