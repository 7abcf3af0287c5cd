#pragma once
/// A BLS12-381 signature (Spring's bls_signature, and the bytes of a bls_aggregate_signature): a
/// point of G2, decoded and checked once.
///
/// Bytes: 192, x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, each 48 bytes little-endian and not in Montgomery form;
/// the identity is 192 zero bytes. Wire (fc::raw): varuint32 192, then the bytes. String:
/// "SIG_BLS_" + base64url(bytes ‖ ripemd160(bytes)[0..4]), no padding.
///
/// Decoding checks canonical coordinates, the curve equation and membership of the prime-order
/// subgroup; the identity is accepted (it is in the subgroup, and Spring accepts it too).
/// Immutable, so thread-safe.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/leaf.hpp"
#include "crypto/bls/error.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace core::bls {

namespace detail {
struct access;
}

inline constexpr std::size_t signature_bytes = 192;

class signature {
public:
   using bytes_type = std::array<uint8_t, signature_bytes>;

   /// The identity (192 zero bytes).
   signature() = default;

   /// Exactly 192 bytes; any other length is bad_length.
   static result<signature> from_bytes(std::span<const uint8_t> bytes);
   /// "SIG_BLS_…" (base64url; '=' padding and unused trailing bits are tolerated, as in fc).
   static result<signature> parse(std::string_view s);

   const bytes_type& bytes() const { return bytes_; }
   std::string to_string() const;
   bool is_identity() const { return identity_; }

   friend bool operator==(const signature& a, const signature& b) { return a.bytes_ == b.bytes_; }
   friend std::strong_ordering operator<=>(const signature& a, const signature& b) { return a.bytes_ <=> b.bytes_; }

   // string_leaf: fc::raw and JSON forms for the codec's archives.
   void pack(byte_writer& w) const;
   /// A length other than 192 or a rejected point fails with bad_value; *this is then unchanged.
   void unpack(byte_reader& r);
   /// parse() with the error as one line of text.
   static core::result<signature> from_string(std::string_view s);

private:
   friend struct detail::access;
   bytes_type bytes_{};
   std::array<uint64_t, 24> point_{}; ///< affine x, y (each c0, c1) in Montgomery form
   bool identity_ = true;
};

} // namespace core::bls

template <>
struct core::min_packed_size<core::bls::signature> {
   static constexpr std::size_t value = 1 + core::bls::signature_bytes;
};
static_assert(core::string_leaf<core::bls::signature>);
