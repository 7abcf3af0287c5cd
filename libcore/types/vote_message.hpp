#pragma once
/// A finalizer's vote on a block (Spring chain/vote_message.hpp), net message 9: strong (it
/// signs the block's finality digest) or weak (the digest followed by "WEAK"). The key and the
/// signature stay bytes until checked against the block's finalizer policies.
#include "crypto/checksum.hpp"
#include "types/bls_wire.hpp"

#include <cereal/cereal.hpp>

#include <cstdint>
#include <string_view>

namespace core {

/// What became of a vote offered to the chain (Spring's vote_result_t). Here, in the types
/// layer, so the net engine (which does not link the chain) can act on it.
enum class vote_status : uint8_t {
   success,
   duplicate,          ///< this finalizer's vote on this block is already counted
   unknown_public_key, ///< the key is in neither policy of the block
   invalid_signature,  ///< the signature does not verify (or is not a valid point)
   unknown_block,      ///< no such block (set by the controller)
};
std::string_view to_string(vote_status s);

struct vote_message {
   checksum256 block_id;
   bool strong = false;
   bls_public_key_bytes finalizer_key;
   bls_signature_bytes sig;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(block_id), CEREAL_NVP(strong), CEREAL_NVP(finalizer_key), CEREAL_NVP(sig));
   }
   bool operator==(const vote_message&) const = default;
};

} // namespace core
