#pragma once
/// BLS12-381 public keys and signatures as votes and QCs carry them (Spring's
/// fc::crypto::blslib::bls_public_key / bls_signature / bls_aggregate_signature), undecoded.
///
/// These hold the encoded bytes only — affine, non-Montgomery, little-endian: 96 bytes for a G1
/// key, 192 for a G2 signature — so decoding a block or a vote never decodes a curve point: a
/// vote's key is looked up by its bytes in the finalizer policy (whose keys are decoded
/// core::bls::public_key values), and signatures become core::bls::signature (with the
/// library's on-curve and subgroup checks) where they are verified, on the recovery pool.
/// Wire form: varuint32 length (which must equal the size), then the bytes.
/// String form: "PUB_BLS_" / "SIG_BLS_" + base64url (no padding) of the bytes followed by the
/// first 4 bytes of ripemd160(bytes). Plain values; thread-safe.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/leaf.hpp"
#include "codec/result.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

template <std::size_t N>
struct bls_bytes {
   static constexpr std::size_t size = N;
   std::array<uint8_t, N> data{};

   /// Byte-wise order, as Spring compares keys (`_affine_non_montgomery_le <=>`).
   friend auto operator<=>(const bls_bytes&, const bls_bytes&) = default;

   void pack(byte_writer& w) const;
   /// A length other than N fails `bad_value`; *this is unchanged on failure.
   void unpack(byte_reader& r);
   std::string to_string() const;
   /// The prefixed base64url form; checks prefix, alphabet, length and checksum.
   static result<bls_bytes> from_string(std::string_view s);
};

using bls_public_key_bytes = bls_bytes<96>;
using bls_signature_bytes = bls_bytes<192>;

extern template struct bls_bytes<96>;
extern template struct bls_bytes<192>;

template <std::size_t N>
struct min_packed_size<bls_bytes<N>> {
   static constexpr std::size_t value = N + 1;
};

static_assert(string_leaf<bls_public_key_bytes>);
static_assert(string_leaf<bls_signature_bytes>);

} // namespace core
