#pragma once
/// A finalizer's vote on a block (Spring chain/vote_message.hpp), net message 9: strong (it
/// signs the block's finality digest) or weak (the digest followed by "WEAK"). The key and the
/// signature stay bytes until checked against the block's finalizer policies.
#include "crypto/checksum.hpp"
#include "types/bls_wire.hpp"

#include <cereal/cereal.hpp>

namespace core {

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
