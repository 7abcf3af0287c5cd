#include "types/bls_wire.hpp"

#include "crypto/ripemd160.hpp"

#include <fmt/format.h>

#include <cstring>

namespace core {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) {
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

template <std::size_t N>
constexpr std::string_view prefix_of() {
   if constexpr (N == 96)
      return "PUB_BLS_";
   else
      return "SIG_BLS_";
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

result<std::vector<uint8_t>> base64url_decode(std::string_view in) {
   while (!in.empty() && in.back() == '=')
      in.remove_suffix(1);
   if (in.size() % 4 == 1)
      return unexpected{fmt::format("base64url text of {} characters is truncated", in.size())};
   std::vector<uint8_t> out;
   out.reserve(in.size() * 3 / 4);
   uint32_t acc = 0;
   int bits = 0;
   for (char c : in) {
      const int d = decode_char(c);
      if (d < 0)
         return unexpected{fmt::format("'{}' is not a base64url character", c)};
      acc = acc << 6 | uint32_t(d);
      bits += 6;
      if (bits >= 8) {
         bits -= 8;
         out.push_back(static_cast<uint8_t>(acc >> bits));
      }
   }
   return out;
}

template <std::size_t N>
void bls_bytes<N>::pack(byte_writer& w) const {
   w.write_varuint32(static_cast<uint32_t>(N));
   w.write(data.data(), N);
}

template <std::size_t N>
void bls_bytes<N>::unpack(byte_reader& r) {
   const std::size_t at = r.offset();
   const uint32_t n = r.read_varuint32();
   if (!r.ok())
      return;
   if (n != N) {
      r.fail_at(at, decode_errc::bad_value, fmt::format("BLS {} of {} bytes instead of {}",
                                                         N == 96 ? "public key" : "signature", n, N));
      return;
   }
   auto view = r.take(N);
   if (r.ok())
      std::memcpy(data.data(), view.data(), N);
}

template <std::size_t N>
std::string bls_bytes<N>::to_string() const {
   std::array<uint8_t, N + 4> buf;
   std::memcpy(buf.data(), data.data(), N);
   const auto check = ripemd160(std::span<const uint8_t>(data));
   std::memcpy(buf.data() + N, check.data.data(), 4);
   return std::string(prefix_of<N>()) + base64url_encode(buf);
}

template <std::size_t N>
result<bls_bytes<N>> bls_bytes<N>::from_string(std::string_view s) {
   constexpr auto prefix = prefix_of<N>();
   if (!s.starts_with(prefix))
      return unexpected{fmt::format("a BLS {} starts with {}", N == 96 ? "public key" : "signature", prefix)};
   auto raw = base64url_decode(s.substr(prefix.size()));
   if (!raw)
      return unexpected{raw.error()};
   if (raw->size() != N + 4)
      return unexpected{fmt::format("{} decodes to {} bytes, expected {}", prefix, raw->size(), N + 4)};
   bls_bytes out;
   std::memcpy(out.data.data(), raw->data(), N);
   const auto check = ripemd160(std::span<const uint8_t>(out.data));
   if (std::memcmp(check.data.data(), raw->data() + N, 4) != 0)
      return unexpected{fmt::format("{} checksum mismatch", prefix)};
   return out;
}

template struct bls_bytes<96>;
template struct bls_bytes<192>;

} // namespace core
