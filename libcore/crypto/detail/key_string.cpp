#include "crypto/detail/key_string.hpp"

#include "crypto/base58.hpp"
#include "crypto/ripemd160.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <cstring>

namespace core::detail {

namespace {
std::array<uint8_t, 4> checksum_of(std::span<const uint8_t> data, std::string_view suffix) {
   ripemd160_hasher h;
   h.update(data);
   h.update(suffix);
   const checksum160 d = h.final();
   return {d.data[0], d.data[1], d.data[2], d.data[3]};
}

/// At most 24 characters of untrusted input, for error messages.
std::string excerpt(std::string_view s) {
   std::string out;
   for (char c : s.substr(0, 24))
      out += (c >= 0x20 && c < 0x7f) ? c : '?';
   if (s.size() > 24)
      out += "...";
   return out;
}
} // namespace

std::string encode_checked(std::span<const uint8_t> data, std::string_view suffix) {
   std::vector<uint8_t> buf(data.begin(), data.end());
   const auto check = checksum_of(data, suffix);
   buf.insert(buf.end(), check.begin(), check.end());
   std::string out = base58_encode(buf);
   secure_wipe(buf.data(), buf.size());
   return out;
}

result<std::vector<uint8_t>> decode_checked(std::string_view b58, std::string_view suffix) {
   auto bin = base58_decode(b58);
   if (!bin)
      return unexpected(bin.error());
   std::vector<uint8_t>& v = *bin;
   if (v.size() < 4)
      return unexpected(fmt::format("decodes to {} bytes, fewer than the 4-byte checksum", v.size()));
   const std::size_t n = v.size() - 4;
   const auto check = checksum_of(std::span<const uint8_t>(v.data(), n), suffix);
   if (std::memcmp(check.data(), v.data() + n, 4) != 0) {
      secure_wipe(v.data(), v.size());
      return unexpected(std::string("checksum mismatch"));
   }
   secure_wipe(v.data() + n, 4);
   v.resize(n);
   return std::move(v);
}

result<typed_string> split_typed(std::string_view s, std::string_view prefix, std::string_view what) {
   const auto p1 = s.find('_');
   if (p1 == std::string_view::npos)
      return unexpected(fmt::format("{}: no '_' delimiter in '{}'", what, excerpt(s)));
   if (s.substr(0, p1) != prefix)
      return unexpected(fmt::format("{}: prefix '{}' is not {}_", what, excerpt(s.substr(0, p1)), prefix));
   const std::string_view rest = s.substr(p1 + 1);
   const auto p2 = rest.find('_');
   if (p2 == std::string_view::npos)
      return unexpected(fmt::format("{}: no key type after {}_", what, prefix));
   typed_string out{rest.substr(0, p2), rest.substr(p2 + 1)};
   if (out.body.empty())
      return unexpected(fmt::format("{}: no data after {}_{}_", what, prefix, excerpt(out.type)));
   return out;
}

void secure_wipe(void* p, std::size_t n) {
   if (n)
      OPENSSL_cleanse(p, n);
}

} // namespace core::detail
