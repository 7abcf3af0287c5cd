#pragma once
/// fc::crypto::private_key: a 32-byte K1 (secp256k1) or R1 (NIST P-256) secret.
///
/// String forms: K1 as legacy WIF "5…" (what fc's to_string prints, and so the canonical output
/// here) or "PVT_K1_…"; R1 as "PVT_R1_…". Wire form (fc variant): index (0 K1, 1 R1) then the 32
/// secret bytes. The secret is wiped when the object is destroyed or overwritten; strings the
/// caller asks for are the caller's to protect. Thread-safe (const operations share nothing).
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/leaf.hpp"
#include "codec/result.hpp"
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "crypto/signature.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace core {

class private_key {
public:
   enum class key_type : uint8_t { k1 = 0, r1 = 1 };
   using secret_bytes = std::array<uint8_t, 32>;

   /// An invalid key (all-zero K1 secret): valid() is false, get_public_key() returns the default
   /// key and sign() the default signature.
   private_key() = default;
   private_key(const private_key&) = default;
   private_key& operator=(const private_key& o);
   ~private_key();

   /// Rejects secrets outside [1, n-1] of the curve.
   static result<private_key> from_secret(std::span<const uint8_t, 32> secret, key_type type = key_type::k1);
   /// A fresh key from getrandom(2).
   static private_key generate(key_type type = key_type::k1);

   key_type type() const { return type_; }
   bool valid() const;
   const secret_bytes& secret() const { return secret_; }

   public_key get_public_key() const;

   /// K1: byte-identical to fc (RFC 6979 nonces from secp256k1_nonce_function_default, taking the
   /// 2nd, 3rd, … output until the signature is EOS-canonical). R1: random nonce, low S (fc's R1
   /// signatures are not deterministic either).
   signature sign(const checksum256& digest) const;

   /// fc's output: WIF for K1, "PVT_R1_…" for R1.
   std::string to_string() const;
   /// base58(0x80 ‖ secret ‖ sha256(sha256(0x80 ‖ secret))[0..4]). WIF only exists for K1; an R1
   /// key yields its "PVT_R1_…" form.
   std::string to_wif() const;
   /// "PVT_K1_…" or "PVT_R1_…".
   std::string to_pvt_string() const;
   /// Accepts WIF (version byte 0x80; like fc, the checksum may be a single or double SHA-256),
   /// "PVT_K1_…" and "PVT_R1_…". Errors never echo the input.
   static result<private_key> from_string(std::string_view s);

   void pack(byte_writer& w) const;
   /// Unknown index -> unknown_variant; secret outside the curve's range -> bad_value.
   void unpack(byte_reader& r);

   /// Constant-time comparison of type and secret.
   friend bool operator==(const private_key& a, const private_key& b);

private:
   key_type type_ = key_type::k1;
   secret_bytes secret_{};
};

template <>
struct min_packed_size<private_key> {
   static constexpr std::size_t value = 33;
};

static_assert(string_leaf<private_key>);

} // namespace core
