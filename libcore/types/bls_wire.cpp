#include "types/bls_wire.hpp"

#include "crypto/bls/detail/string_form.hpp"
#include "crypto/bls/error.hpp"

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
   return bls::detail::encode_string(prefix_of<N>(), data);
}

template <std::size_t N>
result<bls_bytes<N>> bls_bytes<N>::from_string(std::string_view s) {
   auto raw = bls::detail::decode_string(s, prefix_of<N>(), N);
   if (!raw)
      return unexpected{fmt::format("{}: {}", prefix_of<N>(), bls::to_string(raw.error()))};
   bls_bytes out;
   std::memcpy(out.data.data(), raw->data(), N);
   return out;
}

template struct bls_bytes<96>;
template struct bls_bytes<192>;

} // namespace core
