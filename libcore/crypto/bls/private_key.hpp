#pragma once
/// A BLS12-381 secret key (Spring's bls_private_key): the scalar as 4 little-endian 64-bit limbs,
/// 32 bytes little-endian. String: "PVT_BLS_" + base64url(bytes ‖ ripemd160(bytes)[0..4]).
///
/// Signatures are in G2 with Spring's ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_,
/// proofs of possession with BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ over the public key's
/// 96 bytes; both are deterministic and byte-identical to Spring's.
///
/// Timing side channels. Only the secret key needs protecting, and the code that touches it:
/// - sign() and proof_of_possession() hash the (public) message to G2 in variable time, then
///   multiply by the key with a fixed-window ladder: the 256-bit scalar in 64 windows of 4 bits,
///   4 doublings and one addition per window whatever the bits, using complete projective
///   formulas (no exceptional cases, so no branches), with each table entry selected by reading
///   all 16 entries under a mask. get_public_key() does the same in G1.
/// - Field arithmetic is branch-free (Montgomery products with a masked final subtraction,
///   masked additions and subtractions); the final inversion to affine is Fermat's a^(p-2) with
///   the public exponent. Reduction of the key modulo r is a masked bit-serial loop.
/// - Key generation from a seed is HMAC-SHA-256 (OpenSSL) and the same reduction.
/// Not covered: power, electromagnetic and fault attacks; parsing a "PVT_BLS_" string (base64
/// table lookups index by secret characters); and whatever the compiler or CPU does beyond the
/// source (no data-dependent branch or index is written in the signing path). The secret is wiped
/// when the object is destroyed or overwritten; copies the caller makes (strings) are the
/// caller's to protect. Thread-safe: const operations share nothing.
#include "crypto/bls/error.hpp"
#include "crypto/bls/public_key.hpp"
#include "crypto/bls/signature.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace core::bls {

inline constexpr std::size_t private_key_bytes = 32;
/// Shortest seed keygen accepts (the IETF KeyGen minimum).
inline constexpr std::size_t min_seed_bytes = 32;

class private_key {
public:
   private_key(const private_key& o) = default;
   private_key& operator=(const private_key& o);
   ~private_key();

   /// Spring's bls_private_key::generate(): KeyGen (below) on 32 bytes from getrandom(2).
   static private_key generate();
   /// Spring's bls_private_key(seed), i.e. bls12_381::secret_key(seed), with its two quirks (see
   /// detail/keygen.hpp). Spring's test keys are from_seed(sha256(name)).
   static result<private_key> from_seed(std::span<const uint8_t> seed);
   /// 32 bytes, little-endian. Like Spring, values at or above r are kept as they are (and act
   /// as their residue); a value that is 0 mod r is zero_key.
   static result<private_key> from_bytes(std::span<const uint8_t> bytes);
   /// "PVT_BLS_…".
   static result<private_key> parse(std::string_view s);
   /// parse() with the error as one line of text.
   static core::result<private_key> from_string(std::string_view s);

   /// The 32 secret bytes (the caller protects the copy).
   std::array<uint8_t, private_key_bytes> bytes() const;
   std::string to_string() const;

   public_key get_public_key() const;
   /// The signature of `message` (any bytes; Savanna signs 32-byte digests).
   signature sign(std::span<const uint8_t> message) const;
   /// The proof of possession: the POP ciphersuite's signature of the public key's 96 bytes.
   signature proof_of_possession() const;

   friend bool operator==(const private_key& a, const private_key& b) { return a.sk_ == b.sk_; }

private:
   explicit private_key(const std::array<uint64_t, 4>& sk) : sk_(sk) {}
   std::array<uint64_t, 4> sk_{}; ///< as given (not reduced), so to_string() round-trips
};

} // namespace core::bls
