#include "crypto/bls/detail/string_form.hpp"

#include "crypto/detail/key_string.hpp"
#include "crypto/ripemd160.hpp"

#include <cstring>

namespace core::bls::detail {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t checksum_bytes = 4;

int value_of(char c) {
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

std::string_view strip_padding(std::string_view s) {
   while (!s.empty() && s.back() == '=')
      s.remove_suffix(1);
   return s;
}

std::size_t decoded_size(std::size_t chars) { return chars / 4 * 3 + (chars % 4 ? chars % 4 - 1 : 0); }

} // namespace

std::string base64url_encode(std::span<const uint8_t> data) {
   std::string out;
   out.reserve((data.size() * 4 + 2) / 3);
   std::size_t i = 0;
   for (; i + 3 <= data.size(); i += 3) {
      const uint32_t v = uint32_t(data[i]) << 16 | uint32_t(data[i + 1]) << 8 | data[i + 2];
      for (int s = 18; s >= 0; s -= 6)
         out += alphabet[(v >> s) & 63];
   }
   const std::size_t rest = data.size() - i;
   if (rest) {
      uint32_t v = uint32_t(data[i]) << 16;
      if (rest == 2)
         v |= uint32_t(data[i + 1]) << 8;
      for (std::size_t k = 0; k <= rest; ++k)
         out += alphabet[(v >> (18 - 6 * k)) & 63];
   }
   return out;
}

result<std::vector<uint8_t>> base64url_decode(std::string_view s) {
   s = strip_padding(s);
   if (s.size() % 4 == 1)
      return unexpected(error::bad_base64);
   std::vector<uint8_t> out;
   out.reserve(decoded_size(s.size()));
   uint32_t acc = 0;
   int bits = 0;
   for (char c : s) {
      const int v = value_of(c);
      if (v < 0)
         return unexpected(error::bad_base64);
      acc = (acc << 6) | uint32_t(v);
      bits += 6;
      if (bits >= 8) {
         bits -= 8;
         out.push_back(uint8_t(acc >> bits));
         acc &= (1u << bits) - 1;
      }
   }
   return out;
}

std::string encode_string(std::string_view prefix, std::span<const uint8_t> data) {
   std::vector<uint8_t> buf(data.begin(), data.end());
   const checksum160 check = ripemd160(data);
   buf.insert(buf.end(), check.data.begin(), check.data.begin() + checksum_bytes);
   std::string out(prefix);
   out += base64url_encode(buf);
   core::detail::secure_wipe(buf.data(), buf.size());
   return out;
}

result<std::vector<uint8_t>> decode_string(std::string_view s, std::string_view prefix, std::size_t size) {
   if (!s.starts_with(prefix))
      return unexpected(error::bad_prefix);
   const std::string_view body = s.substr(prefix.size());
   if (decoded_size(strip_padding(body).size()) != size + checksum_bytes)
      return unexpected(error::bad_length);
   auto bin = base64url_decode(body);
   if (!bin)
      return bin;
   std::vector<uint8_t>& v = *bin;
   const checksum160 check = ripemd160(std::span<const uint8_t>(v.data(), size));
   if (std::memcmp(check.data.data(), v.data() + size, checksum_bytes) != 0) {
      core::detail::secure_wipe(v.data(), v.size());
      return unexpected(error::bad_checksum);
   }
   v.resize(size);
   return std::move(v);
}

} // namespace core::bls::detail
