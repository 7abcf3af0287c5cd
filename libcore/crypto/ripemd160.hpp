#pragma once
/// RIPEMD-160, used for the checksums of key and signature strings. A self-contained
/// implementation: OpenSSL 3.0 before 3.0.7 only offers it from the legacy provider.
/// Thread-safe; a hasher object is not shared between threads.
#include "crypto/checksum.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace core {

/// Incremental RIPEMD-160. final() returns the digest and resets the hasher.
class ripemd160_hasher {
public:
   void update(std::span<const uint8_t> data);
   void update(std::string_view s) {
      update(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
   }
   checksum160 final();

private:
   void compress(const uint8_t* block);

   std::array<uint32_t, 5> h_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
   std::array<uint8_t, 64> buf_{};
   std::size_t buf_len_ = 0;
   uint64_t total_bytes_ = 0;
};

/// One-shot RIPEMD-160 of `data`.
checksum160 ripemd160(std::span<const uint8_t> data);
inline checksum160 ripemd160(std::string_view s) {
   return ripemd160(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

} // namespace core
