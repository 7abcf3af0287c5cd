#include "codec/base64url.hpp"

#include <fmt/format.h>

namespace core {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Value of a base64url digit, or -1.
int digit_value(unsigned char c) {
   if (c >= 'A' && c <= 'Z')
      return c - 'A';
   if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
   if (c >= '0' && c <= '9')
      return c - '0' + 52;
   if (c == '-')
      return 62;
   if (c == '_')
      return 63;
   return -1;
}

} // namespace

std::string base64url_encode(std::span<const uint8_t> in) {
   std::string out;
   out.reserve((in.size() * 4 + 2) / 3);
   std::size_t i = 0;
   for (; i + 3 <= in.size(); i += 3) {
      const uint32_t v = uint32_t(in[i]) << 16 | uint32_t(in[i + 1]) << 8 | in[i + 2];
      for (int s = 18; s >= 0; s -= 6)
         out.push_back(alphabet[(v >> s) & 63]);
   }
   if (const std::size_t rest = in.size() - i; rest != 0) {
      const uint32_t v = uint32_t(in[i]) << 16 | (rest == 2 ? uint32_t(in[i + 1]) << 8 : 0);
      out.push_back(alphabet[(v >> 18) & 63]);
      out.push_back(alphabet[(v >> 12) & 63]);
      if (rest == 2)
         out.push_back(alphabet[(v >> 6) & 63]);
   }
   return out;
}

result<std::vector<uint8_t>> base64url_decode(std::string_view text) {
   std::vector<uint8_t> out;
   out.reserve(text.size() / 4 * 3 + 2);
   uint32_t group = 0;
   int digits = 0;
   for (std::size_t i = 0; i < text.size() && text[i] != '='; ++i) {
      const int v = digit_value(static_cast<unsigned char>(text[i]));
      if (v < 0)
         return unexpected{fmt::format("non-base64url character at offset {}", i)};
      group = group << 6 | static_cast<uint32_t>(v);
      if (++digits == 4) {
         out.push_back(static_cast<uint8_t>(group >> 16));
         out.push_back(static_cast<uint8_t>(group >> 8));
         out.push_back(static_cast<uint8_t>(group));
         group = 0;
         digits = 0;
      }
   }
   // A last group of n digits gives n - 1 bytes (none for a lone digit).
   if (digits >= 2) {
      group <<= 6 * (4 - digits);
      out.push_back(static_cast<uint8_t>(group >> 16));
      if (digits == 3)
         out.push_back(static_cast<uint8_t>(group >> 8));
   }
   return out;
}

} // namespace core
