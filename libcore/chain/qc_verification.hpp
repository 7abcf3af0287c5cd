#pragma once
/// Checks of a quorum certificate against the finalizer policies of the block it certifies
/// (Spring chain/qc.cpp): qc_t::verify_basic here; the aggregate signature in
/// verify_qc_signature (BLS pairings, the costly part, run on the recovery pool).
#include "chain/block_header_state.hpp"
#include "chain/savanna_state.hpp"
#include "codec/result.hpp"
#include "types/finality_extension.hpp"

#include <optional>

namespace core {

/// Every bitset holds one bit per finalizer of its policy, no finalizer voted both strong and
/// weak, the voted weight reaches the policy's threshold (strong weight alone for a strong
/// signature), a finalizer in both policies voted the same in both, and a pending-policy
/// signature is present exactly when the block had a pending policy. Error: one line.
result<bool> verify_qc_basic(const quorum_certificate& qc, const qc_policies& policies);

/// The QC's aggregate signatures (Spring's qc_t::verify_signatures): for each policy, the keys of
/// its strong voters sum to one key that signed the finality digest, those of its weak voters
/// to one that signed the weak digest, and the signature is their aggregate — one pairing
/// product per policy. Precondition: verify_qc_basic passed. Error: one line.
result<bool> verify_qc_signature(const quorum_certificate& qc, const qc_policies& policies);

/// verify_qc_signature for the QC `b` carries, if any, against the policies of `parent` (b's
/// parent's state). nullopt when b carries no QC. Error: "block N: QC on block M: …".
std::optional<result<bool>> verify_block_qc(const block_header_state& parent, const signed_block& b);

} // namespace core
