#pragma once
/// Internal: secret scalars and Spring's key generation from a seed.
#include <array>
#include <cstdint>
#include <span>

namespace core::bls::detail {

/// A secret scalar, little-endian limbs (Spring stores it this way, and packs the limbs
/// little-endian: the 32 bytes of a PVT_BLS_ string).
using scalar = std::array<uint64_t, 4>;

/// Spring's bls12_381::secret_key(seed) for seed.size() >= 32: the KeyGen of the IETF BLS
/// signature draft with HKDF-SHA-256 and L = 48, as Spring does it: the salt
/// "BLS-SIG-KEYGEN-SALT-" is used as is in the first round and hashed only before a retry, and
/// the 48-byte OKM is reduced modulo the group order r, retrying while the result is zero.
/// Constant time in the seed (apart from the retry, with probability 2^-255).
scalar keygen_from_seed(std::span<const uint8_t> seed);

/// HMAC-SHA-256 (RFC 2104), exposed for tests.
std::array<uint8_t, 32> hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> msg);

/// v mod r for v given as big-endian bytes (any length), constant time in the value.
scalar reduce_be_mod_r(std::span<const uint8_t> v);

/// k mod r, constant time.
scalar reduce_mod_r(const scalar& k);

/// k == 0, without a data-dependent branch.
bool scalar_is_zero(const scalar& k);

} // namespace core::bls::detail
