#pragma once
/// Fixed-size digests (fc::sha256, fc::ripemd160, fc::sha512): N raw bytes on the wire, lowercase
/// hex as a string. Plain values; all operations are thread-safe.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/leaf.hpp"
#include "codec/result.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace core {

template <std::size_t N>
struct basic_checksum {
   static constexpr std::size_t size = N;
   std::array<uint8_t, N> data{};

   /// True if every byte is zero (fc's default-constructed digest).
   bool empty() const;

   std::span<const uint8_t, N> bytes() const { return data; }

   friend bool operator==(const basic_checksum&, const basic_checksum&) = default;
   /// Byte-wise (memcmp) order, as fc compares digests.
   friend std::strong_ordering operator<=>(const basic_checksum&, const basic_checksum&) = default;

   /// The N raw bytes.
   void pack(byte_writer& w) const { w.write(data.data(), N); }
   /// Reads N raw bytes; on shortage fails `truncated` and leaves *this unchanged.
   void unpack(byte_reader& r);
   /// 2N lowercase hex characters.
   std::string to_string() const;
   /// Exactly 2N hex characters, either case, no prefix.
   static result<basic_checksum> from_string(std::string_view s);
};

extern template struct basic_checksum<20>;
extern template struct basic_checksum<32>;
extern template struct basic_checksum<64>;

using checksum160 = basic_checksum<20>; ///< fc::ripemd160
using checksum256 = basic_checksum<32>; ///< fc::sha256 (block ids, transaction ids, digests)
using checksum512 = basic_checksum<64>; ///< fc::sha512

template <std::size_t N>
struct min_packed_size<basic_checksum<N>> {
   static constexpr std::size_t value = N;
};

static_assert(string_leaf<checksum160>);
static_assert(string_leaf<checksum256>);
static_assert(string_leaf<checksum512>);
static_assert(min_packed_size<checksum256>::value == 32);

} // namespace core

/// Hash for unordered containers: the last 8 bytes (uniform for digests, and past the block
/// number that block ids carry in their first 4 bytes).
template <std::size_t N>
struct std::hash<core::basic_checksum<N>> {
   std::size_t operator()(const core::basic_checksum<N>& c) const noexcept {
      static_assert(N >= sizeof(std::size_t));
      std::size_t h;
      std::memcpy(&h, c.data.data() + N - sizeof h, sizeof h);
      return h;
   }
};
