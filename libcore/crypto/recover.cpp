#include "crypto/recover.hpp"

#include "crypto/detail/p256.hpp"
#include "crypto/detail/secp256k1_context.hpp"
#include "crypto/webauthn.hpp"

#include <secp256k1_recovery.h>

namespace core {

namespace {

result<public_key> recover_k1(const signature::compact_bytes& c, const checksum256& digest) {
   const int header = c[0];
   if (header < 27 || header >= 35) {
      if (signature(signature::k1{c}).empty())
         return unexpected(std::string("cannot recover a key from the empty (all-zero) signature"));
      return unexpected(std::string("K1 signature header byte is not in [27, 35)"));
   }
   if (!signature(signature::k1{c}).is_canonical())
      return unexpected(std::string("K1 signature is not canonical"));
   const secp256k1_context* ctx = detail::k1_context();
   secp256k1_ecdsa_recoverable_signature sig;
   if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, c.data() + 1, (header - 27) & 3))
      return unexpected(std::string("K1 signature r or s is not below the curve order"));
   secp256k1_pubkey pk;
   if (!secp256k1_ecdsa_recover(ctx, &pk, &sig, digest.data.data()))
      return unexpected(std::string("K1 signature does not recover a public key"));
   public_key::k1 out;
   std::size_t len = out.data.size();
   secp256k1_ec_pubkey_serialize(ctx, out.data.data(), &len, &pk, SECP256K1_EC_COMPRESSED);
   return public_key(out);
}

} // namespace

result<public_key> recover_key(const signature& sig, const checksum256& digest) {
   switch (sig.type()) {
   case signature::sig_type::k1: return recover_k1(sig.compact(), digest);
   case signature::sig_type::r1: {
      auto p = detail::p256_recover(sig.compact(), digest);
      if (!p)
         return unexpected(p.error());
      return public_key(public_key::r1{*p});
   }
   case signature::sig_type::webauthn: return recover_webauthn(std::get<signature::webauthn>(sig.storage), digest);
   }
   return unexpected(std::string("unknown signature type"));
}

} // namespace core
