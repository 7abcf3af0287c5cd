#pragma once
/// A BLS12-381 public key (Spring's bls_public_key): a point of G1, decoded and checked once so
/// that it can be cached and aggregated many times (a finalizer policy's keys, for example).
///
/// Bytes: 96, x ‖ y, each coordinate 48 bytes little-endian and not in Montgomery form; the
/// identity is 96 zero bytes. Wire (fc::raw): varuint32 96, then the bytes. String:
/// "PUB_BLS_" + base64url(bytes ‖ ripemd160(bytes)[0..4]), no padding.
///
/// Decoding checks that both coordinates are below p, that the point is on the curve and that it
/// is in the prime-order subgroup (Spring checks only the first two when it decodes and the
/// subgroup when it verifies). Like Spring, it accepts the identity; verify() and verify_pop()
/// then reject it. Immutable, so thread-safe.
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

inline constexpr std::size_t public_key_bytes = 96;

class public_key {
public:
   using bytes_type = std::array<uint8_t, public_key_bytes>;

   /// The identity (96 zero bytes), as Spring's default-constructed key.
   public_key() = default;

   /// Exactly 96 bytes; any other length is bad_length.
   static result<public_key> from_bytes(std::span<const uint8_t> bytes);
   /// "PUB_BLS_…" (base64url; like fc, '=' padding and unused trailing bits are tolerated).
   static result<public_key> parse(std::string_view s);

   const bytes_type& bytes() const { return bytes_; }
   std::string to_string() const;
   bool is_identity() const { return identity_; }

   /// Byte order, as Spring orders its keys.
   friend bool operator==(const public_key& a, const public_key& b) { return a.bytes_ == b.bytes_; }
   friend std::strong_ordering operator<=>(const public_key& a, const public_key& b) { return a.bytes_ <=> b.bytes_; }

   // string_leaf: fc::raw and JSON forms for the codec's archives.
   void pack(byte_writer& w) const;
   /// A length other than 96 or a rejected point fails with bad_value; *this is then unchanged.
   void unpack(byte_reader& r);
   /// parse() with the error as one line of text.
   static core::result<public_key> from_string(std::string_view s);

private:
   friend struct detail::access;
   bytes_type bytes_{};
   std::array<uint64_t, 12> point_{}; ///< affine x, y in Montgomery form
   bool identity_ = true;
};

} // namespace core::bls

template <>
struct core::min_packed_size<core::bls::public_key> {
   static constexpr std::size_t value = 1 + core::bls::public_key_bytes;
};
static_assert(core::string_leaf<core::bls::public_key>);
