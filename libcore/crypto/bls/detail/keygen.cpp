#include "crypto/bls/detail/keygen.hpp"

#include "crypto/bls/detail/params.hpp"
#include "crypto/detail/key_string.hpp"
#include "crypto/sha256.hpp"

#include <cstring>
#include <vector>

namespace core::bls::detail {

namespace {

constexpr std::size_t hmac_block_bytes = 64;
constexpr std::size_t okm_bytes = 48; ///< L = ceil(3·ceil(log2(r))/16)

/// acc = 2·acc + bit, then acc -= r when acc >= r; acc < r before and after.
void shift_in_bit(scalar& acc, uint64_t bit) {
   scalar t;
   uint64_t carry = bit;
   for (int i = 0; i < 4; ++i) {
      t[i] = (acc[i] << 1) | carry;
      carry = acc[i] >> 63;
   }
   // 2·acc + 1 < 2r < 2^256: no carry out.
   scalar s;
   uint64_t borrow = 0;
   for (int i = 0; i < 4; ++i) {
      const u128 d = u128(t[i]) - r_limbs[i] - borrow;
      s[i] = uint64_t(d);
      borrow = uint64_t(d >> 64) & 1;
   }
   const uint64_t keep_t = 0 - borrow;
   for (int i = 0; i < 4; ++i)
      acc[i] = (t[i] & keep_t) | (s[i] & ~keep_t);
}

} // namespace

std::array<uint8_t, 32> hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> msg) {
   uint8_t k[hmac_block_bytes] = {};
   if (key.size() > hmac_block_bytes) {
      const checksum256 d = sha256(key);
      std::memcpy(k, d.data.data(), d.data.size());
   } else if (!key.empty()) {
      std::memcpy(k, key.data(), key.size());
   }
   uint8_t pad[hmac_block_bytes];
   sha256_hasher h;
   for (std::size_t i = 0; i < hmac_block_bytes; ++i)
      pad[i] = uint8_t(k[i] ^ 0x36);
   h.update(pad, sizeof pad);
   h.update(msg);
   checksum256 inner = h.final();
   for (std::size_t i = 0; i < hmac_block_bytes; ++i)
      pad[i] = uint8_t(k[i] ^ 0x5c);
   h.update(pad, sizeof pad);
   h.update(inner.data.data(), inner.data.size());
   const checksum256 outer = h.final();
   core::detail::secure_wipe(k, sizeof k);
   core::detail::secure_wipe(pad, sizeof pad);
   core::detail::secure_wipe(inner.data.data(), inner.data.size());
   return outer.data;
}

scalar reduce_be_mod_r(std::span<const uint8_t> v) {
   scalar acc{};
   for (uint8_t byte : v)
      for (int b = 7; b >= 0; --b)
         shift_in_bit(acc, (byte >> b) & 1);
   return acc;
}

scalar reduce_mod_r(const scalar& k) {
   scalar acc{};
   for (int i = 3; i >= 0; --i)
      for (int b = 63; b >= 0; --b)
         shift_in_bit(acc, (k[std::size_t(i)] >> b) & 1);
   return acc;
}

bool scalar_is_zero(const scalar& k) { return (k[0] | k[1] | k[2] | k[3]) == 0; }

scalar keygen_from_seed(std::span<const uint8_t> seed) {
   static constexpr char salt_text[] = "BLS-SIG-KEYGEN-SALT-";
   std::array<uint8_t, 32> salt{};
   std::size_t salt_len = sizeof salt_text - 1;
   std::memcpy(salt.data(), salt_text, salt_len);

   std::vector<uint8_t> ikm(seed.begin(), seed.end()); // IKM || I2OSP(0, 1)
   ikm.push_back(0);
   const uint8_t info[3] = {0, uint8_t(okm_bytes), 1}; // key_info (empty) || I2OSP(L, 2) || counter

   scalar sk{};
   for (;;) {
      std::array<uint8_t, 32> prk = hmac_sha256({salt.data(), salt_len}, ikm);
      // HKDF-Expand to 48 bytes: T(1) = HMAC(PRK, info || 1), T(2) = HMAC(PRK, T(1) || info || 2).
      std::array<uint8_t, 32> t1 = hmac_sha256(prk, info);
      uint8_t second[32 + 3];
      std::memcpy(second, t1.data(), 32);
      second[32] = 0;
      second[33] = uint8_t(okm_bytes);
      second[34] = 2;
      std::array<uint8_t, 32> t2 = hmac_sha256(prk, second);
      uint8_t okm[okm_bytes];
      std::memcpy(okm, t1.data(), 32);
      std::memcpy(okm + 32, t2.data(), okm_bytes - 32);
      sk = reduce_be_mod_r(okm);
      core::detail::secure_wipe(prk.data(), prk.size());
      core::detail::secure_wipe(t1.data(), t1.size());
      core::detail::secure_wipe(t2.data(), t2.size());
      core::detail::secure_wipe(second, sizeof second);
      core::detail::secure_wipe(okm, sizeof okm);
      if (!scalar_is_zero(sk))
         break;
      const checksum256 next = sha256(std::span<const uint8_t>(salt.data(), salt_len));
      salt = next.data;
      salt_len = salt.size();
   }
   core::detail::secure_wipe(ikm.data(), ikm.size());
   return sk;
}

} // namespace core::bls::detail
