#pragma once
/// Savanna's policies (Spring chain/finalizer_policy.hpp, finalizer_authority.hpp,
/// proposer_policy.hpp): who finalizes blocks, with what weights and threshold, and who
/// proposes them; and the diffs that carry a new policy in a block's finality extension.
#include "codec/result.hpp"
#include "codec/wire_types.hpp"
#include "crypto/bls/public_key.hpp"
#include "crypto/checksum.hpp"
#include "types/bls_wire.hpp"
#include "types/ordered_diff.hpp"
#include "types/producer_schedule.hpp"
#include "types/time_types.hpp"

#include <cereal/cereal.hpp>

#include <compare>
#include <optional>
#include <string>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace core {

/// Most finalizers (and proposers) a policy may hold (config::max_finalizers, max_proposers).
inline constexpr std::size_t max_finalizers = 64 * 1024;
inline constexpr std::size_t max_proposers = 64 * 1024;

/// One finalizer. Its key is decoded (and checked: on the curve, in the subgroup) when the policy
/// is decoded, once per policy, as Spring does; QCs and votes are checked against it.
struct finalizer_authority {
   std::string description;
   uint64_t weight = 0; ///< this finalizer's share towards the threshold
   bls::public_key public_key;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(description), CEREAL_NVP(weight), CEREAL_NVP(public_key));
   }
   auto operator<=>(const finalizer_authority&) const = default;
};

using finalizers_diff = ordered_diff_result<finalizer_authority>;

struct finalizer_policy_diff {
   uint32_t generation = 0;
   uint64_t threshold = 0;
   core::finalizers_diff finalizers_diff;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(generation), CEREAL_NVP(threshold), CEREAL_NVP(finalizers_diff));
   }
   bool operator==(const finalizer_policy_diff&) const = default;
};

struct finalizer_policy {
   uint32_t generation = 0; ///< increases by one with each policy proposed
   uint64_t threshold = 0;  ///< vote weight a QC needs
   std::vector<finalizer_authority> finalizers;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(generation), CEREAL_NVP(threshold), CEREAL_NVP(finalizers));
   }
   auto operator<=>(const finalizer_policy&) const = default;

   /// Sum of the weights (saturating at 2^64 - 1).
   uint64_t total_weight() const;
   /// Spring's set_finalizers checks (host function set_finalizers): 1 to 65536 finalizers,
   /// distinct keys, weights that do not overflow, descriptions of at most 256 bytes, and a
   /// threshold above half the total weight and at most the total. Error: the broken rule.
   std::optional<std::string> check_proposal() const;
   /// Spring's max_weak_sum_before_weak_final: total weight minus the threshold.
   uint64_t max_weak_sum_before_weak_final() const { return total_weight() - threshold; }
   /// sha256(pack(policy)).
   checksum256 digest() const;

   finalizer_policy_diff create_diff(const finalizer_policy& target) const;
   /// Error: the diff's indexes are invalid, or the result exceeds max_finalizers.
   result<finalizer_policy> apply_diff(const finalizer_policy_diff& diff) const;
};

using finalizer_policy_ptr = std::shared_ptr<const finalizer_policy>;

using producer_auth_diff = ordered_diff_result<producer_authority>;

struct proposer_policy_diff {
   uint32_t version = 0;
   block_timestamp proposal_time;
   core::producer_auth_diff producer_auth_diff;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(version), CEREAL_NVP(proposal_time), CEREAL_NVP(producer_auth_diff));
   }
   bool operator==(const proposer_policy_diff&) const = default;
};

struct proposer_policy {
   block_timestamp proposal_time; ///< of the block that proposed it
   producer_authority_schedule proposer_schedule;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(proposal_time), CEREAL_NVP(proposer_schedule));
   }
   bool operator==(const proposer_policy&) const = default;

   proposer_policy_diff create_diff(const proposer_policy& target) const;
   result<proposer_policy> apply_diff(const proposer_policy_diff& diff) const;
};

using proposer_policy_ptr = std::shared_ptr<const proposer_policy>;

} // namespace core
