#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace core {

void byte_reader::fail(decode_errc code, std::string detail) { fail_at(pos_, code, std::move(detail)); }

void byte_reader::fail_at(std::size_t offset, decode_errc code, std::string detail) {
   if (!ok())
      return;
   err_.code = code;
   err_.offset = offset;
   err_.field = path();
   err_.detail = std::move(detail);
}

std::string byte_reader::fmt_need(std::size_t n) {
   return fmt::format("need {} byte{}", n, n == 1 ? "" : "s");
}

bool byte_reader::read_bool_slow() {
   const std::size_t at = pos_;
   uint8_t b = read_u8();
   if (b > 1) {
      fail_at(at, decode_errc::bad_bool, fmt::format("value {}", b));
      return false;
   }
   return b == 1;
}

uint32_t byte_reader::read_varuint32_slow() {
   // fc::unsigned_int: LEB128, at most 5 bytes. fc silently truncates a 5th byte above 0x0f and
   // stops reading after it even if its continuation bit is set, which desynchronises the
   // stream; such an encoding is never produced by an encoder, so it is rejected here.
   const std::size_t at = pos_;
   uint32_t v = 0;
   for (int i = 0; i < 5; ++i) {
      uint8_t b = read_u8();
      if (!ok())
         return 0;
      if (i == 4 && b > 0x0f) {
         fail_at(at, decode_errc::varint_overlong, "more than 32 bits");
         return 0;
      }
      v |= uint32_t(b & 0x7f) << (7 * i);
      if (!(b & 0x80)) {
         if (b == 0 && i > 0) // a zero final group: longer than the minimal encoding
            noncanonical_bytes_ += std::size_t(i + 1) - varuint32_size(v);
         return v;
      }
   }
   return v; // unreachable: the 5th byte either ends the value or failed above
}

int32_t byte_reader::read_varint32() {
   uint32_t z = read_varuint32();
   return static_cast<int32_t>((z >> 1) ^ (~(z & 1) + 1));
}

uint32_t byte_reader::read_count_slow(std::size_t max_count, std::size_t min_element_bytes, decode_errc too_big) {
   const std::size_t at = pos_;
   uint32_t n = read_varuint32();
   if (!ok())
      return 0;
   if (n > max_count) {
      fail_at(at, too_big, fmt::format("count {} above limit {}", n, max_count));
      return 0;
   }
   if (min_element_bytes != 0 && n > remaining() / min_element_bytes) {
      fail_at(at, decode_errc::count_exceeds_input,
              fmt::format("count {} but only {} bytes remain", n, remaining()));
      return 0;
   }
   return n;
}

std::string byte_reader::path() const {
   return format_field_path(std::span<const path_elem>(path_.data(), std::min(depth_, max_path_depth)));
}

} // namespace core
