#include "crypto/checksum.hpp"

#include "codec/hex.hpp"

#include <fmt/format.h>

namespace core {

template <std::size_t N>
bool basic_checksum<N>::empty() const {
   for (uint8_t b : data)
      if (b)
         return false;
   return true;
}

template <std::size_t N>
void basic_checksum<N>::unpack(byte_reader& r) {
   std::array<uint8_t, N> tmp;
   if (r.read(tmp.data(), N))
      data = tmp;
}

template <std::size_t N>
std::string basic_checksum<N>::to_string() const {
   return to_hex(std::span<const uint8_t>(data));
}

template <std::size_t N>
result<basic_checksum<N>> basic_checksum<N>::from_string(std::string_view s) {
   if (s.size() != 2 * N)
      return unexpected(fmt::format("checksum{}: expected {} hex characters, got {}", N * 8, 2 * N, s.size()));
   basic_checksum out;
   if (!from_hex(s, out.data))
      return unexpected(fmt::format("checksum{}: not a hex string", N * 8));
   return out;
}

template struct basic_checksum<20>;
template struct basic_checksum<32>;
template struct basic_checksum<64>;

} // namespace core
