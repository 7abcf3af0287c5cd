#include "crypto/sha256.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstdio>

namespace core {

namespace {

// Fetched once: EVP_sha256() would re-fetch the implementation on every call (2x slower on
// 64-byte inputs in OpenSSL 3). The object is immutable after the fetch and safe to share.
const EVP_MD* sha256_md() {
   static const EVP_MD* md = [] {
      EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
      if (!m) {
         std::fputs("core::sha256: OpenSSL has no SHA256 implementation\n", stderr);
         std::abort(); // environment failure, not bad input
      }
      return m;
   }();
   return md;
}

[[noreturn]] void openssl_failed(const char* what) {
   std::fprintf(stderr, "core::sha256: %s failed\n", what);
   std::abort(); // only on allocation failure inside OpenSSL
}

} // namespace

namespace {
/// One digest context per thread: EVP_Digest allocates and frees a context on every call, which
/// costs more than hashing a small transaction. Re-initialising a context for the same
/// algorithm keeps its state allocation.
class thread_context {
public:
   thread_context() : ctx_(EVP_MD_CTX_new()) {
      if (!ctx_)
         openssl_failed("EVP_MD_CTX_new");
   }
   ~thread_context() { EVP_MD_CTX_free(ctx_); }
   thread_context(const thread_context&) = delete;
   thread_context& operator=(const thread_context&) = delete;
   EVP_MD_CTX* get() { return ctx_; }

private:
   EVP_MD_CTX* ctx_;
};

EVP_MD_CTX* this_thread_context() {
   thread_local thread_context ctx;
   return ctx.get();
}
} // namespace

checksum256 sha256(std::span<const uint8_t> data) {
   checksum256 out;
   EVP_MD_CTX* ctx = this_thread_context();
   if (!EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) || !EVP_DigestUpdate(ctx, data.data(), data.size()) ||
       !EVP_DigestFinal_ex(ctx, out.data.data(), nullptr))
      openssl_failed("EVP_Digest*");
   return out;
}

checksum256 sha256(std::initializer_list<std::span<const uint8_t>> parts) {
   checksum256 out;
   EVP_MD_CTX* ctx = this_thread_context();
   if (!EVP_DigestInit_ex2(ctx, sha256_md(), nullptr))
      openssl_failed("EVP_DigestInit_ex2");
   for (const auto& p : parts)
      if (!EVP_DigestUpdate(ctx, p.data(), p.size()))
         openssl_failed("EVP_DigestUpdate");
   if (!EVP_DigestFinal_ex(ctx, out.data.data(), nullptr))
      openssl_failed("EVP_DigestFinal_ex");
   return out;
}

void sha256_hasher::ctx_deleter::operator()(evp_md_ctx_st* c) const { EVP_MD_CTX_free(c); }

sha256_hasher::sha256_hasher() : ctx_(EVP_MD_CTX_new()) {
   if (!ctx_ || !EVP_DigestInit_ex2(ctx_.get(), sha256_md(), nullptr))
      openssl_failed("EVP_DigestInit_ex2");
}

sha256_hasher::~sha256_hasher() = default;
sha256_hasher::sha256_hasher(sha256_hasher&&) noexcept = default;
sha256_hasher& sha256_hasher::operator=(sha256_hasher&&) noexcept = default;

void sha256_hasher::update(std::span<const uint8_t> data) {
   if (!EVP_DigestUpdate(ctx_.get(), data.data(), data.size()))
      openssl_failed("EVP_DigestUpdate");
}

checksum256 sha256_hasher::final() {
   checksum256 out;
   if (!EVP_DigestFinal_ex(ctx_.get(), out.data.data(), nullptr) ||
       !EVP_DigestInit_ex2(ctx_.get(), sha256_md(), nullptr))
      openssl_failed("EVP_DigestFinal_ex");
   return out;
}

} // namespace core
