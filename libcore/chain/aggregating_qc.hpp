#pragma once
/// Votes on one block gathered into its pending QC (Spring qc.hpp/qc.cpp aggregating_qc_t):
/// one aggregate per finalizer policy the block has (active, and pending when there is one),
/// each moving through Spring's states as votes arrive, plus the best QC received for the
/// block inside a later block. best_qc() is what a producer puts in the block that claims it.
///
/// Not thread-safe: owned by a block_state and used on the controller's thread.
#include "chain/savanna_state.hpp"
#include "chain/vote_digests.hpp"
#include "crypto/bls/aggregate.hpp"
#include "types/finality_extension.hpp"
#include "types/vote_message.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace core {

/// One policy's votes.
class aggregating_qc_sig {
public:
   enum class state : uint8_t {
      unrestricted,  ///< no quorum yet, any outcome possible
      restricted,    ///< enough weak votes that a strong QC is impossible
      weak_achieved, ///< weak + strong weight reaches the threshold; strong still possible
      weak_final,    ///< weak QC, strong no longer possible
      strong,        ///< strong weight reaches the threshold
   };

   explicit aggregating_qc_sig(const finalizer_policy& p);

   bool has_voted(std::size_t index) const { return strong_bits_.test(index) || weak_bits_.test(index); }
   /// Adds a vote already checked against its signature. Precondition: index in the policy.
   vote_status add_vote(bool strong, std::size_t index, const bls::signature& sig, uint64_t weight);
   state current() const { return state_; }
   bool is_quorum_met() const;
   /// The better of the aggregated votes (when they reach quorum) and the received signature:
   /// strong beats weak, and a tie goes to the received one.
   std::optional<qc_sig> best() const;
   /// Keeps `s` if none was received or it is strong and the kept one weak; true if kept.
   bool set_received(const qc_sig& s);
   bool received_is_strong() const { return received_ && received_->is_strong(); }

private:
   qc_sig from_votes() const;

   uint64_t quorum_;
   uint64_t max_weak_sum_before_weak_final_;
   state state_ = state::unrestricted;
   uint64_t strong_sum_ = 0;
   uint64_t weak_sum_ = 0;
   vote_bitset strong_bits_, weak_bits_;
   bls::aggregate_signature strong_sig_, weak_sig_;
   std::optional<qc_sig> received_;
};

class aggregating_qc {
public:
   /// `pending` may be null.
   aggregating_qc(finalizer_policy_ptr active, finalizer_policy_ptr pending);

   struct outcome {
      vote_status status = vote_status::unknown_public_key;
      const finalizer_authority* active = nullptr;  ///< the voter in the active policy, if any
      const finalizer_authority* pending = nullptr; ///< and in the pending one
   };
   /// Counts `v` (on the block whose finality digest is `digest`) in each policy holding its
   /// key; the signature is checked once, against the strong or weak digest, prepared through
   /// `digests` when given.
   outcome aggregate_vote(const vote_message& v, const checksum256& digest, vote_digests* digests = nullptr);
   /// Whether finalizer `key` has voted (in the first policy holding it where it has not).
   bool has_voted(const bls_public_key_bytes& key) const;
   bool is_quorum_met() const;

   /// The QC to claim the block with: both policies need one (Spring's get_best_qc).
   std::optional<quorum_certificate> best_qc(uint32_t block_num) const;
   /// Records a QC on the block received in a later block; true if it improved on what was kept.
   bool set_received_qc(const quorum_certificate& qc);
   bool received_qc_is_strong() const;

private:
   finalizer_policy_ptr active_policy_, pending_policy_;
   aggregating_qc_sig active_;
   std::optional<aggregating_qc_sig> pending_;
};

} // namespace core
