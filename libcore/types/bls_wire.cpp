#include "types/bls_wire.hpp"

#include "codec/base64url.hpp"
#include "crypto/ripemd160.hpp"

#include <fmt/format.h>

#include <cstring>

namespace core {

namespace {

template <std::size_t N>
constexpr std::string_view prefix_of() {
   if constexpr (N == 96)
      return "PUB_BLS_";
   else
      return "SIG_BLS_";
}

} // namespace

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
