#pragma once
/// eosio::chain::name: a 64-bit account/action name with a base-32 string form.
#include "codec/leaf.hpp"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace core {

struct name {
   uint64_t value = 0;

   constexpr name() = default;
   constexpr explicit name(uint64_t v) : value(v) {}

   /// Leap's string_to_uint64_t: characters outside `.1-5a-z` map to 0; more than 13 are ignored.
   static uint64_t string_to_value(std::string_view s);
   /// 13 characters, trailing dots stripped (chain/name.cpp to_string).
   std::string to_string() const;
   /// Accepts only normalised names, as name::set: ≤ 13 characters and to_string() == s.
   static result<name> from_string(std::string_view s);

   void pack(byte_writer& w) const { w.write_int(value); }
   void unpack(byte_reader& r) { value = r.read_int<uint64_t>(); }

   bool empty() const { return value == 0; }
   auto operator<=>(const name&) const = default;
};

template <>
struct min_packed_size<name> {
   static constexpr std::size_t value = 8;
};

/// Compile-time name from a literal that is known to be normalised ("eosio"_n).
constexpr name operator""_n(const char* s, std::size_t n) {
   auto sym = [](char c) -> uint64_t {
      if (c >= 'a' && c <= 'z')
         return (c - 'a') + 6;
      if (c >= '1' && c <= '5')
         return (c - '1') + 1;
      return 0;
   };
   uint64_t v = 0;
   std::size_t i = 0;
   for (; i < n && i < 12; ++i)
      v |= (sym(s[i]) & 0x1f) << (64 - 5 * (i + 1));
   if (i < n && i == 12)
      v |= sym(s[12]) & 0x0f;
   return name(v);
}

} // namespace core
