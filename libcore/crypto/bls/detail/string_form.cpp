#include "crypto/bls/detail/string_form.hpp"

#include "codec/base64url.hpp"

#include "crypto/detail/key_string.hpp"
#include "crypto/ripemd160.hpp"

#include <cstring>

namespace core::bls::detail {

namespace {

constexpr std::size_t checksum_bytes = 4;

std::string_view strip_padding(std::string_view s) {
   while (!s.empty() && s.back() == '=')
      s.remove_suffix(1);
   return s;
}

} // namespace

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
   if (strip_padding(body).size() % 4 == 1) // no encoding ends with a lone digit
      return unexpected(error::bad_base64);
   if (base64url_decoded_size(strip_padding(body).size()) != size + checksum_bytes)
      return unexpected(error::bad_length);
   auto bin = base64url_decode(body);
   if (!bin)
      return unexpected(error::bad_base64);
   std::vector<uint8_t>& v = *bin;
   if (v.size() != size + checksum_bytes) { // an '=' inside the body ends fc's decoding early
      core::detail::secure_wipe(v.data(), v.size());
      return unexpected(error::bad_length);
   }
   const checksum160 check = ripemd160(std::span<const uint8_t>(v.data(), size));
   if (std::memcmp(check.data.data(), v.data() + size, checksum_bytes) != 0) {
      core::detail::secure_wipe(v.data(), v.size());
      return unexpected(error::bad_checksum);
   }
   v.resize(size);
   return std::move(v);
}

} // namespace core::bls::detail
