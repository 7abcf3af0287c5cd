#pragma once
/// fc::crypto::signature: a variant of a K1 (secp256k1), R1 (NIST P-256) or WebAuthn signature.
///
/// Wire form: varuint32 index (0 K1, 1 R1, 2 WebAuthn) then the body: 65 bytes of compact
/// signature (header 27 + 4 + recid, r big-endian, s big-endian); for WebAuthn the compact
/// signature, bytes auth_data and string client_json. String form "SIG_K1_…", "SIG_R1_…",
/// "SIG_WA_…". A plain value; all operations are thread-safe.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/leaf.hpp"
#include "codec/result.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace core {

struct signature {
   enum class sig_type : uint8_t { k1 = 0, r1 = 1, webauthn = 2 };
   using compact_bytes = std::array<uint8_t, 65>;

   struct k1 {
      compact_bytes data{};
      friend auto operator<=>(const k1&, const k1&) = default;
   };
   struct r1 {
      compact_bytes data{};
      friend auto operator<=>(const r1&, const r1&) = default;
   };
   /// fc::crypto::webauthn::signature.
   struct webauthn {
      compact_bytes data{};
      std::vector<uint8_t> auth_data;
      std::string client_json;
      friend auto operator<=>(const webauthn&, const webauthn&) = default;
   };
   using storage_type = std::variant<k1, r1, webauthn>;

   /// Default: the all-zero K1 signature nodeos sends when it cannot sign.
   storage_type storage;

   signature(); ///< defined after the class: nested default member initializers
   signature(k1 s) : storage(s) {}
   signature(r1 s) : storage(s) {}
   signature(webauthn s) : storage(std::move(s)) {}

   sig_type type() const { return static_cast<sig_type>(storage.index()); }
   /// The 65-byte compact signature of any alternative.
   const compact_bytes& compact() const;
   /// True for the default all-zero K1 signature.
   bool empty() const;

   /// K1: fc's EOS-canonical rule (elliptic_common.cpp is_canonical): r and s each below 2^255
   /// and without a redundant leading zero byte. R1 / WebAuthn: s <= n/2 of P-256, the only
   /// form fc's R1 recovery accepts.
   bool is_canonical() const;

   /// fc order: by variant index, then by the alternative's fields.
   friend auto operator<=>(const signature&, const signature&) = default;

   void pack(byte_writer& w) const;
   /// Unknown index -> unknown_variant; auth_data above max_array_elements -> too_many_elements,
   /// client_json above max_byte_array_bytes -> bytes_too_large. *this is unchanged on failure.
   void unpack(byte_reader& r);
   std::string to_string() const;
   /// Accepts "SIG_K1_…", "SIG_R1_…", "SIG_WA_…"; checks base58, length and checksum. Strings
   /// above base58_max_chars are rejected (a WebAuthn signature that long has ~2.9 KB of data).
   static result<signature> from_string(std::string_view s);
};

inline signature::signature() : storage(k1{}) {}

template <>
struct min_packed_size<signature> {
   static constexpr std::size_t value = 66;
};

static_assert(string_leaf<signature>);

} // namespace core
