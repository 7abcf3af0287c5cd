#include "crypto/base58.hpp"

#include <fmt/format.h>

#include <openssl/crypto.h>

#include <algorithm>
#include <array>

namespace core {

namespace {

constexpr char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<int8_t, 256> make_digit_map() {
   std::array<int8_t, 256> m{};
   for (auto& v : m)
      v = -1;
   for (int i = 0; i < 58; ++i)
      m[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
   return m;
}
constexpr auto digit_of = make_digit_map();

} // namespace

std::string base58_encode(std::span<const uint8_t> data) {
   std::size_t zeros = 0;
   while (zeros < data.size() && data[zeros] == 0)
      ++zeros;
   // log(256)/log(58) = 1.365...: at most 138/100 digits per byte.
   std::vector<uint8_t> digits((data.size() - zeros) * 138 / 100 + 1);
   std::size_t used = 0; // digits[size-used, size) hold the number so far, most significant first
   for (std::size_t i = zeros; i < data.size(); ++i) {
      uint32_t carry = data[i];
      std::size_t k = 0;
      for (auto it = digits.rbegin(); (carry || k < used) && it != digits.rend(); ++it, ++k) {
         carry += 256u * *it;
         *it = static_cast<uint8_t>(carry % 58);
         carry /= 58;
      }
      used = k;
   }
   std::string out(zeros, '1');
   out.reserve(zeros + used);
   for (std::size_t i = digits.size() - used; i < digits.size(); ++i)
      out += alphabet[digits[i]];
   OPENSSL_cleanse(digits.data(), digits.size()); // the input may be a private key
   return out;
}

result<std::vector<uint8_t>> base58_decode(std::string_view s, std::size_t max_chars) {
   if (s.size() > max_chars)
      return unexpected(fmt::format("base58 string of {} characters is longer than the limit of {}", s.size(), max_chars));
   std::size_t ones = 0;
   while (ones < s.size() && s[ones] == '1')
      ++ones;
   // log(58)/log(256) = 0.732...: at most 733/1000 bytes per digit.
   std::vector<uint8_t> bytes((s.size() - ones) * 733 / 1000 + 1);
   std::size_t used = 0;
   for (std::size_t i = ones; i < s.size(); ++i) {
      const int d = digit_of[static_cast<uint8_t>(s[i])];
      if (d < 0)
         return unexpected(fmt::format("invalid base58 character at position {}", i));
      uint32_t carry = static_cast<uint32_t>(d);
      std::size_t k = 0;
      for (auto it = bytes.rbegin(); (carry || k < used) && it != bytes.rend(); ++it, ++k) {
         carry += 58u * *it;
         *it = static_cast<uint8_t>(carry & 0xff);
         carry >>= 8;
      }
      used = k;
   }
   std::vector<uint8_t> out(ones + used, 0);
   std::copy(bytes.end() - static_cast<std::ptrdiff_t>(used), bytes.end(), out.begin() + static_cast<std::ptrdiff_t>(ones));
   OPENSSL_cleanse(bytes.data(), bytes.size()); // the output may be a private key
   return out;
}

} // namespace core
