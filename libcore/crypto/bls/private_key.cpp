#include "crypto/bls/private_key.hpp"

#include "crypto/bls/detail/access.hpp"
#include "crypto/bls/detail/hash_to_curve.hpp"
#include "crypto/bls/detail/keygen.hpp"
#include "crypto/bls/detail/point_codec.hpp"
#include "crypto/bls/verify.hpp"
#include "crypto/detail/key_string.hpp"
#include "crypto/os_random.hpp"

namespace core::bls {

namespace {

constexpr std::string_view prefix = "PVT_BLS_";

std::span<const uint8_t> as_bytes(std::string_view s) {
   return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

/// [sk]H(message) under `dst`, in constant time in sk.
signature sign_with(const detail::scalar& sk, std::span<const uint8_t> message, std::string_view dst) {
   const detail::g2_affine h = detail::to_affine(detail::hash_to_g2(message, as_bytes(dst)));
   if (h.infinity) // probability 2^-255; mul_ct needs a finite point
      return {};
   detail::scalar k = detail::reduce_mod_r(sk);
   const detail::g2_affine s = detail::mul_ct<detail::g2_curve>(h, k);
   core::detail::secure_wipe(k.data(), sizeof k);
   return detail::access::make(s);
}

} // namespace

private_key& private_key::operator=(const private_key& o) {
   if (this != &o) {
      core::detail::secure_wipe(sk_.data(), sizeof sk_);
      sk_ = o.sk_;
   }
   return *this;
}

private_key::~private_key() { core::detail::secure_wipe(sk_.data(), sizeof sk_); }

private_key private_key::generate() {
   std::array<uint8_t, min_seed_bytes> seed;
   os_random(seed);
   private_key k(detail::keygen_from_seed(seed));
   core::detail::secure_wipe(seed.data(), seed.size());
   return k;
}

result<private_key> private_key::from_seed(std::span<const uint8_t> seed) {
   if (seed.size() < min_seed_bytes)
      return unexpected(error::seed_too_short);
   return private_key(detail::keygen_from_seed(seed));
}

result<private_key> private_key::from_bytes(std::span<const uint8_t> bytes) {
   if (bytes.size() != private_key_bytes)
      return unexpected(error::bad_length);
   std::array<uint64_t, 4> sk{};
   for (std::size_t i = 0; i < private_key_bytes; ++i)
      sk[i / 8] |= uint64_t(bytes[i]) << (8 * (i % 8));
   detail::scalar reduced = detail::reduce_mod_r(sk);
   const bool zero = detail::scalar_is_zero(reduced);
   core::detail::secure_wipe(reduced.data(), sizeof reduced);
   private_key k(sk);
   core::detail::secure_wipe(sk.data(), sizeof sk);
   if (zero)
      return unexpected(error::zero_key);
   return k;
}

result<private_key> private_key::parse(std::string_view s) {
   auto bin = detail::decode_string(s, prefix, private_key_bytes);
   if (!bin)
      return unexpected(bin.error());
   auto k = from_bytes(*bin);
   core::detail::secure_wipe(bin->data(), bin->size());
   return k;
}

core::result<private_key> private_key::from_string(std::string_view s) {
   return detail::with_text_error(parse(s), "BLS private key");
}

std::array<uint8_t, private_key_bytes> private_key::bytes() const {
   std::array<uint8_t, private_key_bytes> out;
   for (std::size_t i = 0; i < private_key_bytes; ++i)
      out[i] = uint8_t(sk_[i / 8] >> (8 * (i % 8)));
   return out;
}

std::string private_key::to_string() const {
   auto b = bytes();
   std::string s = detail::encode_string(prefix, b);
   core::detail::secure_wipe(b.data(), b.size());
   return s;
}

public_key private_key::get_public_key() const {
   detail::scalar k = detail::reduce_mod_r(sk_);
   const detail::g1_affine p = detail::mul_ct<detail::g1_curve>(detail::g1_generator(), k);
   core::detail::secure_wipe(k.data(), sizeof k);
   return detail::access::make(p);
}

signature private_key::sign(std::span<const uint8_t> message) const {
   return sign_with(sk_, message, signature_dst);
}

signature private_key::proof_of_possession() const {
   return sign_with(sk_, get_public_key().bytes(), pop_dst);
}

} // namespace core::bls
