#include "crypto/detail/p256.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace core::detail {

namespace {

struct bn_free {
   void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
struct bn_ctx_free {
   void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct point_free {
   void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
struct pkey_free {
   void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct pkey_ctx_free {
   void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct param_bld_free {
   void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct param_free {
   void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct sig_free {
   void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using bn_ptr = std::unique_ptr<BIGNUM, bn_free>;
using bn_ctx_ptr = std::unique_ptr<BN_CTX, bn_ctx_free>;
using point_ptr = std::unique_ptr<EC_POINT, point_free>;

/// The curve and its constants, built once and never modified afterwards, so every thread can
/// use them without locking (OpenSSL only reads a const EC_GROUP). Function-local static, never
/// destroyed (threads may still use it during static destruction).
struct curve {
   EC_GROUP* group;
   const BIGNUM* order;
   BIGNUM* half_order;
   BIGNUM* field;
   std::array<uint8_t, 32> order_bytes;
   std::array<uint8_t, 32> half_order_bytes;
};

const curve& p256() {
   static const curve c = [] {
      curve k{};
      k.group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
      k.half_order = BN_new();
      k.field = BN_new();
      if (!k.group || !k.half_order || !k.field || !(k.order = EC_GROUP_get0_order(k.group)) ||
          !BN_rshift1(k.half_order, k.order) || !EC_GROUP_get_curve(k.group, k.field, nullptr, nullptr, nullptr) ||
          BN_bn2binpad(k.order, k.order_bytes.data(), 32) != 32 ||
          BN_bn2binpad(k.half_order, k.half_order_bytes.data(), 32) != 32) {
         std::fputs("core: OpenSSL has no usable P-256 curve\n", stderr);
         std::abort();
      }
      return k;
   }();
   return c;
}

bn_ptr bn_from(std::span<const uint8_t> bytes) { return bn_ptr(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr)); }

bool to_compressed(const EC_POINT* p, BN_CTX* ctx, std::array<uint8_t, 33>& out) {
   return EC_POINT_point2oct(p256().group, p, POINT_CONVERSION_COMPRESSED, out.data(), out.size(), ctx) == out.size();
}

} // namespace

bool p256_is_low_s(std::span<const uint8_t, 32> s) {
   return std::memcmp(s.data(), p256().half_order_bytes.data(), 32) <= 0;
}

bool p256_secret_valid(std::span<const uint8_t, 32> secret) {
   bool zero = true;
   for (uint8_t b : secret)
      zero = zero && b == 0;
   return !zero && std::memcmp(secret.data(), p256().order_bytes.data(), 32) < 0;
}

std::optional<std::array<uint8_t, 33>> p256_public_key(std::span<const uint8_t, 32> secret) {
   if (!p256_secret_valid(secret))
      return std::nullopt;
   const curve& c = p256();
   bn_ctx_ptr ctx(BN_CTX_new());
   bn_ptr d(BN_secure_new());
   point_ptr q(EC_POINT_new(c.group));
   std::array<uint8_t, 33> out;
   if (!ctx || !d || !q || !BN_bin2bn(secret.data(), 32, d.get()))
      return std::nullopt;
   BN_set_flags(d.get(), BN_FLG_CONSTTIME);
   if (!EC_POINT_mul(c.group, q.get(), d.get(), nullptr, nullptr, ctx.get()) || !to_compressed(q.get(), ctx.get(), out))
      return std::nullopt;
   return out;
}

result<std::array<uint8_t, 33>> p256_recover(std::span<const uint8_t, 65> compact, const checksum256& digest,
                                             low_s rule) {
   int header = compact[0];
   if (header < 27 || header >= 35)
      return unexpected(std::string("R1 signature header byte is not in [27, 35)"));
   if (rule == low_s::required && !p256_is_low_s(compact.subspan<33, 32>()))
      return unexpected(std::string("R1 signature has a high S value"));
   if (header >= 31)
      header -= 4;
   const int recid = header - 27;

   const curve& c = p256();
   bn_ctx_ptr ctx(BN_CTX_new());
   bn_ptr r = bn_from(compact.subspan<1, 32>());
   bn_ptr s = bn_from(compact.subspan<33, 32>());
   bn_ptr x(BN_new()), e = bn_from(digest.data), zero(BN_new()), rinv(BN_new()), u1(BN_new()), u2(BN_new());
   point_ptr big_r(EC_POINT_new(c.group)), q(EC_POINT_new(c.group));
   if (!ctx || !r || !s || !x || !e || !zero || !rinv || !u1 || !u2 || !big_r || !q)
      return unexpected(std::string("out of memory in R1 recovery"));

   // x = r + (recid / 2) * n must be a field element; R = the point with that x and y parity
   // recid & 1. Then Q = r^-1 (s R - e G), computed as (-e r^-1) G + (s r^-1) R.
   if (!BN_copy(x.get(), c.order) || !BN_mul_word(x.get(), static_cast<BN_ULONG>(recid / 2)) ||
       !BN_add(x.get(), x.get(), r.get()))
      return unexpected(std::string("bignum failure in R1 recovery"));
   if (BN_cmp(x.get(), c.field) >= 0)
      return unexpected(std::string("R1 signature r is not a valid x coordinate for its recovery id"));
   if (!EC_POINT_set_compressed_coordinates(c.group, big_r.get(), x.get(), recid & 1, ctx.get()))
      return unexpected(std::string("R1 signature r is not the x coordinate of a curve point"));
   BN_zero(zero.get());
   if (!BN_mod_sub(e.get(), zero.get(), e.get(), c.order, ctx.get()))
      return unexpected(std::string("bignum failure in R1 recovery"));
   if (!BN_mod_inverse(rinv.get(), r.get(), c.order, ctx.get()))
      return unexpected(std::string("R1 signature r has no inverse mod n"));
   if (!BN_mod_mul(u1.get(), e.get(), rinv.get(), c.order, ctx.get()) ||
       !BN_mod_mul(u2.get(), s.get(), rinv.get(), c.order, ctx.get()) ||
       !EC_POINT_mul(c.group, q.get(), u1.get(), big_r.get(), u2.get(), ctx.get()))
      return unexpected(std::string("EC failure in R1 recovery"));
   if (EC_POINT_is_at_infinity(c.group, q.get()))
      return unexpected(std::string("R1 signature recovers the point at infinity"));
   std::array<uint8_t, 33> out;
   if (!to_compressed(q.get(), ctx.get(), out))
      return unexpected(std::string("EC failure in R1 recovery"));
   return out;
}

std::optional<std::array<uint8_t, 65>> p256_sign(std::span<const uint8_t, 32> secret, const checksum256& digest) {
   const auto pub = p256_public_key(secret);
   if (!pub)
      return std::nullopt;
   const curve& c = p256();

   // An EVP_PKEY holding the key pair; OpenSSL signs with a fresh random nonce in constant time.
   bn_ptr d(BN_secure_new());
   std::unique_ptr<OSSL_PARAM_BLD, param_bld_free> bld(OSSL_PARAM_BLD_new());
   if (!d || !bld || !BN_bin2bn(secret.data(), 32, d.get()) ||
       !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
       !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) ||
       !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub->data(), pub->size()))
      return std::nullopt;
   std::unique_ptr<OSSL_PARAM, param_free> params(OSSL_PARAM_BLD_to_param(bld.get()));
   std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_free> kctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
   EVP_PKEY* raw_key = nullptr;
   if (!params || !kctx || EVP_PKEY_fromdata_init(kctx.get()) <= 0 ||
       EVP_PKEY_fromdata(kctx.get(), &raw_key, EVP_PKEY_KEYPAIR, params.get()) <= 0)
      return std::nullopt;
   std::unique_ptr<EVP_PKEY, pkey_free> key(raw_key);
   std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_free> sctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
   std::size_t der_len = 0;
   if (!sctx || EVP_PKEY_sign_init(sctx.get()) <= 0 ||
       EVP_PKEY_sign(sctx.get(), nullptr, &der_len, digest.data.data(), digest.data.size()) <= 0)
      return std::nullopt;
   std::vector<uint8_t> der(der_len);
   if (EVP_PKEY_sign(sctx.get(), der.data(), &der_len, digest.data.data(), digest.data.size()) <= 0)
      return std::nullopt;
   const unsigned char* p = der.data();
   std::unique_ptr<ECDSA_SIG, sig_free> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
   if (!sig)
      return std::nullopt;
   const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
   bn_ptr s(BN_dup(ECDSA_SIG_get0_s(sig.get())));
   if (!s)
      return std::nullopt;
   if (BN_cmp(s.get(), c.half_order) > 0 && !BN_sub(s.get(), c.order, s.get()))
      return std::nullopt;

   std::array<uint8_t, 65> out{};
   if (BN_bn2binpad(r, out.data() + 1, 32) != 32 || BN_bn2binpad(s.get(), out.data() + 33, 32) != 32)
      return std::nullopt;
   // The recovery id is whichever of the four candidates recovers our own key (fc does the same).
   for (uint8_t recid = 0; recid < 4; ++recid) {
      out[0] = static_cast<uint8_t>(27 + 4 + recid);
      auto q = p256_recover(out, digest);
      if (q && *q == *pub)
         return out;
   }
   return std::nullopt;
}

} // namespace core::detail
