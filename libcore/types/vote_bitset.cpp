#include "types/vote_bitset.hpp"

#include "codec/limits.hpp"

#include <fmt/format.h>

#include <bit>
#include <cstring>

namespace core {

std::size_t vote_bitset::count() const {
   std::size_t n = 0;
   for (uint8_t b : bytes_)
      n += static_cast<std::size_t>(std::popcount(b));
   return n;
}

void vote_bitset::pack(byte_writer& w) const {
   w.write_varuint32(static_cast<uint32_t>(bits_));
   w.write(bytes_.data(), bytes_.size());
}

void vote_bitset::unpack(byte_reader& r) {
   const std::size_t at = r.offset();
   const uint32_t n = r.read_varuint32();
   if (!r.ok())
      return;
   const std::size_t nbytes = (std::size_t(n) + 7) / 8;
   if (nbytes > limits::max_array_elements || nbytes > r.remaining()) {
      r.fail_at(at, decode_errc::too_many_elements,
                fmt::format("bitset of {} bits needs {} bytes, {} left", n, nbytes, r.remaining()));
      return;
   }
   auto view = r.take(nbytes);
   bits_ = n;
   bytes_.assign(view.begin(), view.end());
   if (n % 8 != 0)
      bytes_.back() &= uint8_t((1u << (n % 8)) - 1);
}

std::string vote_bitset::to_string() const {
   std::string s(bits_, '0');
   for (std::size_t i = 0; i < bits_; ++i)
      if (test(i))
         s[bits_ - 1 - i] = '1';
   return s;
}

result<vote_bitset> vote_bitset::from_string(std::string_view s) {
   if (s.size() > limits::max_array_elements * 8)
      return unexpected{fmt::format("bitset of {} characters is too long", s.size())};
   vote_bitset b(s.size());
   for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[s.size() - 1 - i];
      if (c != '0' && c != '1')
         return unexpected{fmt::format("bitset character '{}' is not 0 or 1", c)};
      if (c == '1')
         b.set(i);
   }
   return b;
}

} // namespace core
