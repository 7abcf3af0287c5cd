#include "crypto/detail/secp256k1_context.hpp"

#include "crypto/detail/key_string.hpp"
#include "crypto/os_random.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace core::detail {

namespace {
secp256k1_context* create_context() {
   secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
   std::array<uint8_t, 32> seed;
   os_random(seed);
   if (!ctx || !secp256k1_context_randomize(ctx, seed.data())) {
      std::fputs("core: cannot create a secp256k1 context\n", stderr);
      std::abort();
   }
   secure_wipe(seed.data(), seed.size());
   return ctx;
}
} // namespace

const secp256k1_context* k1_context() {
   // Never destroyed: threads still running during static destruction may use it.
   static const secp256k1_context* const ctx = create_context();
   return ctx;
}

} // namespace core::detail
