#pragma once
/// A finalizer voting on a block (Spring finalizer::maybe_vote): decide_vote's rules, then the
/// BLS signature of the block's finality digest (strong) or of the weak digest.
#include "chain/block_header_state.hpp"
#include "chain/finalizer.hpp"
#include "crypto/bls/private_key.hpp"
#include "types/vote_message.hpp"

#include <optional>

namespace core {

/// The vote `key` may cast on the proper Savanna block `b` given its safety information, which
/// this updates; nullopt when the rules allow none (or b is not a proper Savanna block, on which
/// finalizers do not vote).
std::optional<vote_message> finalizer_vote(const block_header_state& b, const bls::private_key& key,
                                           finalizer_safety_information& fsi);

} // namespace core
