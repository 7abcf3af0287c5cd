#pragma once
/// SHA-256 (OpenSSL 3 EVP, SHA-NI where the CPU has it). Thread-safe; a hasher object is not
/// shared between threads.
#include "crypto/checksum.hpp"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>

struct evp_md_ctx_st;

namespace core {

/// One-shot SHA-256 of `data`. Allocates nothing after a thread's first call (each thread
/// keeps one digest context).
checksum256 sha256(std::span<const uint8_t> data);
/// One-shot SHA-256 of the concatenation of `parts`, without concatenating them.
checksum256 sha256(std::initializer_list<std::span<const uint8_t>> parts);
inline checksum256 sha256(std::string_view s) {
   return sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

/// Incremental SHA-256 (fc::sha256::encoder). final() returns the digest and resets the hasher,
/// so one object can hash many messages without reallocating its context (about 20% faster than
/// the one-shot function on 64-byte inputs). A moved-from hasher may only be destroyed or
/// assigned to.
class sha256_hasher {
public:
   sha256_hasher();
   ~sha256_hasher();
   sha256_hasher(sha256_hasher&&) noexcept;
   sha256_hasher& operator=(sha256_hasher&&) noexcept;
   sha256_hasher(const sha256_hasher&) = delete;
   sha256_hasher& operator=(const sha256_hasher&) = delete;

   void update(std::span<const uint8_t> data);
   void update(const void* data, std::size_t n) { update({static_cast<const uint8_t*>(data), n}); }
   void update(std::string_view s) { update(s.data(), s.size()); }
   checksum256 final();

private:
   struct ctx_deleter {
      void operator()(evp_md_ctx_st* c) const;
   };
   std::unique_ptr<evp_md_ctx_st, ctx_deleter> ctx_;
};

} // namespace core
