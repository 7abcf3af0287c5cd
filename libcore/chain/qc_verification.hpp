#pragma once
/// Checks of a quorum certificate against the finalizer policies of the block it certifies
/// (Spring chain/qc.cpp): qc_t::verify_basic here; the aggregate signature in
/// verify_qc_signature (BLS pairings, the costly part, run on the recovery pool).
#include "chain/savanna_state.hpp"
#include "codec/result.hpp"
#include "types/finality_extension.hpp"

namespace core {

/// Every bitset holds one bit per finalizer of its policy, no finalizer voted both strong and
/// weak, the voted weight reaches the policy's threshold (strong weight alone for a strong
/// signature), a finalizer in both policies voted the same in both, and a pending-policy
/// signature is present exactly when the block had a pending policy. Error: one line.
result<bool> verify_qc_basic(const quorum_certificate& qc, const qc_policies& policies);

} // namespace core
