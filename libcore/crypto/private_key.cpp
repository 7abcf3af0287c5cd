#include "crypto/private_key.hpp"

#include "crypto/base58.hpp"
#include "crypto/detail/key_string.hpp"
#include "crypto/detail/p256.hpp"
#include "crypto/detail/secp256k1_context.hpp"
#include "crypto/os_random.hpp"
#include "crypto/sha256.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <secp256k1_recovery.h>

#include <cstring>

namespace core {

namespace {

bool secret_valid(private_key::key_type t, std::span<const uint8_t, 32> s) {
   if (t == private_key::key_type::r1)
      return detail::p256_secret_valid(s);
   return secp256k1_ec_seckey_verify(detail::k1_context(), s.data()) == 1;
}

/// fc's extended_nonce_function (elliptic_impl_priv.cpp): bumps the caller's counter and asks
/// RFC 6979 for that output number, ignoring libsecp256k1's own attempt number.
int counting_nonce(unsigned char* nonce32, const unsigned char* msg32, const unsigned char* key32,
                   const unsigned char* algo16, void* data, unsigned int /*attempt*/) {
   unsigned int* counter = static_cast<unsigned int*>(data);
   ++*counter;
   return secp256k1_nonce_function_default(nonce32, msg32, key32, algo16, nullptr, *counter);
}

bool eos_canonical(const uint8_t* c) { // c[0] is the header byte, as in the compact form
   return !(c[1] & 0x80) && !(c[1] == 0 && !(c[2] & 0x80)) && !(c[33] & 0x80) && !(c[33] == 0 && !(c[34] & 0x80));
}

std::array<uint8_t, 32> wif_check(std::span<const uint8_t> versioned) {
   checksum256 once = sha256(versioned);
   const checksum256 twice = sha256(once.data);
   detail::secure_wipe(once.data.data(), once.data.size());
   return twice.data;
}

} // namespace

private_key& private_key::operator=(const private_key& o) {
   type_ = o.type_;
   secret_ = o.secret_; // overwrites the old secret in place
   return *this;
}

private_key::~private_key() { detail::secure_wipe(secret_.data(), secret_.size()); }

bool operator==(const private_key& a, const private_key& b) {
   return a.type_ == b.type_ && CRYPTO_memcmp(a.secret_.data(), b.secret_.data(), 32) == 0;
}

bool private_key::valid() const { return secret_valid(type_, secret_); }

result<private_key> private_key::from_secret(std::span<const uint8_t, 32> secret, key_type type) {
   if (!secret_valid(type, secret))
      return unexpected(std::string("private key: secret is zero or not below the curve order"));
   private_key k;
   k.type_ = type;
   std::memcpy(k.secret_.data(), secret.data(), 32);
   return k;
}

private_key private_key::generate(key_type type) {
   private_key k;
   k.type_ = type;
   do
      os_random(k.secret_);
   while (!k.valid());
   return k;
}

public_key private_key::get_public_key() const {
   if (type_ == key_type::r1) {
      auto p = detail::p256_public_key(secret_);
      return p ? public_key(public_key::r1{*p}) : public_key{};
   }
   const secp256k1_context* ctx = detail::k1_context();
   secp256k1_pubkey pk;
   public_key::k1 out;
   std::size_t len = out.data.size();
   if (!secp256k1_ec_pubkey_create(ctx, &pk, secret_.data()) ||
       !secp256k1_ec_pubkey_serialize(ctx, out.data.data(), &len, &pk, SECP256K1_EC_COMPRESSED))
      return public_key{};
   return public_key(out);
}

signature private_key::sign(const checksum256& digest) const {
   if (type_ == key_type::r1) {
      auto c = detail::p256_sign(secret_, digest);
      return c ? signature(signature::r1{*c}) : signature{};
   }
   const secp256k1_context* ctx = detail::k1_context();
   signature::k1 out;
   unsigned int counter = 0;
   int recid = 0;
   do {
      secp256k1_ecdsa_recoverable_signature sig;
      if (!secp256k1_ecdsa_sign_recoverable(ctx, &sig, digest.data.data(), secret_.data(), counting_nonce, &counter) ||
          !secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, out.data.data() + 1, &recid, &sig))
         return signature{}; // invalid secret
   } while (!eos_canonical(out.data.data()));
   out.data[0] = static_cast<uint8_t>(27 + 4 + recid);
   return signature(out);
}

std::string private_key::to_string() const { return type_ == key_type::k1 ? to_wif() : to_pvt_string(); }

std::string private_key::to_wif() const {
   if (type_ != key_type::k1)
      return to_pvt_string();
   std::array<uint8_t, 37> buf;
   buf[0] = 0x80;
   std::memcpy(buf.data() + 1, secret_.data(), 32);
   auto check = wif_check(std::span<const uint8_t>(buf.data(), 33));
   std::memcpy(buf.data() + 33, check.data(), 4);
   std::string out = base58_encode(buf);
   detail::secure_wipe(buf.data(), buf.size());
   detail::secure_wipe(check.data(), check.size());
   return out;
}

std::string private_key::to_pvt_string() const {
   if (type_ == key_type::r1)
      return "PVT_R1_" + detail::encode_checked(secret_, "R1");
   return "PVT_K1_" + detail::encode_checked(secret_, "K1");
}

result<private_key> private_key::from_string(std::string_view s) {
   // Every buffer that held the secret is wiped before returning.
   secret_bytes secret{};
   key_type type = key_type::k1;
   if (s.find('_') == std::string_view::npos) {
      auto b = base58_decode(s);
      if (!b)
         return unexpected("private key: " + b.error() + " in WIF string");
      std::vector<uint8_t>& bin = *b;
      const std::size_t n = bin.size();
      bool ok_version = false, ok_check = false;
      if (n == 37) {
         ok_version = bin[0] == 0x80;
         auto once = sha256(std::span<const uint8_t>(bin.data(), 33));
         auto twice = sha256(once.data);
         ok_check = std::memcmp(twice.data.data(), bin.data() + 33, 4) == 0 ||
                    std::memcmp(once.data.data(), bin.data() + 33, 4) == 0;
         std::memcpy(secret.data(), bin.data() + 1, 32);
         detail::secure_wipe(once.data.data(), 32);
         detail::secure_wipe(twice.data.data(), 32);
      }
      detail::secure_wipe(bin.data(), bin.size());
      if (n != 37)
         return unexpected(fmt::format("private key: WIF string holds {} bytes, expected 37", n));
      if (!ok_version || !ok_check)
         detail::secure_wipe(secret.data(), secret.size());
      if (!ok_version)
         return unexpected(std::string("private key: WIF version byte is not 0x80"));
      if (!ok_check)
         return unexpected(std::string("private key: checksum mismatch in WIF string"));
   } else {
      auto t = detail::split_typed(s, "PVT", "private key");
      if (!t)
         return unexpected(t.error());
      if (t->type != "K1" && t->type != "R1")
         return unexpected(std::string("private key: key type is not K1 or R1"));
      type = t->type == "K1" ? key_type::k1 : key_type::r1;
      auto b = detail::decode_checked(t->body, t->type);
      if (!b)
         return unexpected(fmt::format("private key: {} in PVT_{}_ string", b.error(), t->type));
      std::vector<uint8_t>& bin = *b;
      const std::size_t n = bin.size();
      if (n == 32)
         std::memcpy(secret.data(), bin.data(), 32);
      detail::secure_wipe(bin.data(), bin.size());
      if (n != 32)
         return unexpected(fmt::format("private key: PVT_{}_ string holds {} bytes, expected 32", t->type, n));
   }
   auto k = from_secret(secret, type);
   detail::secure_wipe(secret.data(), secret.size());
   return k;
}

void private_key::pack(byte_writer& w) const {
   w.write_varuint32(static_cast<uint32_t>(type_));
   w.write(secret_.data(), secret_.size());
}

void private_key::unpack(byte_reader& r) {
   const std::size_t at = r.offset();
   const uint32_t index = r.read_varuint32();
   if (!r.ok())
      return;
   if (index > 1) {
      r.fail_at(at, decode_errc::unknown_variant, fmt::format("private_key index {} (0 K1, 1 R1)", index));
      return;
   }
   const std::size_t body_at = r.offset();
   secret_bytes s;
   if (!r.read(s.data(), s.size()))
      return;
   const auto t = static_cast<key_type>(index);
   if (secret_valid(t, s)) {
      type_ = t;
      secret_ = s;
   } else {
      r.fail_at(body_at, decode_errc::bad_value, "private key secret is zero or not below the curve order");
   }
   detail::secure_wipe(s.data(), s.size());
}

} // namespace core
