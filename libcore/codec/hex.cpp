#include "codec/hex.hpp"

namespace core {

int hex_digit_value(char c) {
   if (c >= '0' && c <= '9')
      return c - '0';
   if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
   if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
   return -1;
}

std::string to_hex(std::span<const uint8_t> bytes) {
   static constexpr char digits[] = "0123456789abcdef";
   std::string out(bytes.size() * 2, '\0');
   for (std::size_t i = 0; i < bytes.size(); ++i) {
      out[2 * i] = digits[bytes[i] >> 4];
      out[2 * i + 1] = digits[bytes[i] & 0xf];
   }
   return out;
}

bool from_hex(std::string_view hex, std::span<uint8_t> out) {
   if (hex.size() != out.size() * 2)
      return false;
   for (std::size_t i = 0; i < out.size(); ++i) {
      int hi = hex_digit_value(hex[2 * i]), lo = hex_digit_value(hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
         return false;
      out[i] = static_cast<uint8_t>(hi << 4 | lo);
   }
   return true;
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
   if (hex.size() % 2)
      return std::nullopt;
   std::vector<uint8_t> out(hex.size() / 2);
   if (!from_hex(hex, out))
      return std::nullopt;
   return out;
}

} // namespace core
