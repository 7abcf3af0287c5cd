#pragma once
/// Why BLS input was rejected. Every malformed key, signature or string maps to one of these;
/// nothing in the BLS library throws or aborts on bad input.
#include "codec/result.hpp"

#include <cstdint>
#include <string_view>

namespace core::bls {

enum class error : uint8_t {
   bad_length = 1,  ///< not 96 (public key), 192 (signature) or 32 (private key) bytes
   non_canonical,   ///< a coordinate is not below the field modulus p
   not_on_curve,    ///< the point does not satisfy the curve equation
   not_in_subgroup, ///< on the curve but not in the prime-order subgroup
   bad_prefix,      ///< a string without PUB_BLS_, SIG_BLS_ or PVT_BLS_
   bad_base64,      ///< a character outside base64url, or a length no base64url has
   bad_checksum,    ///< the 4-byte ripemd160 checksum of a string form does not match
   zero_key,        ///< a private key that is 0 modulo the group order
   seed_too_short,  ///< key generation from fewer than 32 bytes of seed
};

/// One line in plain words, e.g. "point not in the prime-order subgroup".
std::string_view to_string(error e);

template <class T>
using result = core::result<T, error>;

} // namespace core::bls
