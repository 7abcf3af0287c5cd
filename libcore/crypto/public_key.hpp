#pragma once
/// fc::crypto::public_key: a variant of a K1 (secp256k1), R1 (NIST P-256) or WebAuthn key.
///
/// Wire form: varuint32 index (0 K1, 1 R1, 2 WebAuthn) then the body: 33 bytes of compressed
/// point; for WebAuthn the point, a u8 user presence and a string rpid. String forms: K1 keys
/// print in the legacy "EOS…" form (as nodeos does) and parse from "EOS…" or "PUB_K1_…"; R1 and
/// WebAuthn keys use "PUB_R1_…" / "PUB_WA_…". A plain value; all operations are thread-safe.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/leaf.hpp"
#include "codec/result.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace core {

struct public_key {
   enum class key_type : uint8_t { k1 = 0, r1 = 1, webauthn = 2 };
   using point_bytes = std::array<uint8_t, 33>; ///< SEC1 compressed point (02/03 ‖ x)

   struct k1 {
      point_bytes data{};
      friend auto operator<=>(const k1&, const k1&) = default;
   };
   struct r1 {
      point_bytes data{};
      friend auto operator<=>(const r1&, const r1&) = default;
   };
   /// fc::crypto::webauthn::public_key. user_presence is 0 none, 1 present, 2 verified; fc
   /// stores any byte it reads, so other values round-trip unchanged. rpid must not be empty.
   struct webauthn {
      point_bytes data{};
      uint8_t user_presence = 0;
      std::string rpid;
      friend auto operator<=>(const webauthn&, const webauthn&) = default;
   };
   using storage_type = std::variant<k1, r1, webauthn>;

   /// Default: the all-zero K1 key nodeos sends when it has none ("EOS1111…4T1Anm").
   storage_type storage;

   public_key(); ///< defined after the class: nested default member initializers
   public_key(k1 k) : storage(k) {}
   public_key(r1 k) : storage(k) {}
   public_key(webauthn k) : storage(std::move(k)) {}

   key_type type() const { return static_cast<key_type>(storage.index()); }
   /// The compressed point of any alternative.
   const point_bytes& point() const;
   /// True for the default all-zero K1 key.
   bool empty() const;

   /// fc order: by variant index, then by the alternative's fields.
   friend auto operator<=>(const public_key&, const public_key&) = default;

   void pack(byte_writer& w) const;
   /// Unknown index -> unknown_variant; WebAuthn rpid longer than max_byte_array_bytes ->
   /// bytes_too_large, empty -> bad_value. *this is unchanged on failure.
   void unpack(byte_reader& r);
   /// fc's string: "EOS…" for K1, "PUB_R1_…", "PUB_WA_…".
   std::string to_string() const;
   /// The "PUB_<type>_…" form for every type ("PUB_K1_…" for K1).
   std::string to_pub_string() const;
   /// Accepts "EOS…", "PUB_K1_…", "PUB_R1_…", "PUB_WA_…". Like fc, the point itself is not
   /// validated (the all-zero key parses); checksum, length, base58 and prefix are.
   static result<public_key> from_string(std::string_view s);
};

inline public_key::public_key() : storage(k1{}) {}

template <>
struct min_packed_size<public_key> {
   static constexpr std::size_t value = 34;
};

static_assert(string_leaf<public_key>);

} // namespace core
