#pragma once
/// Appends fc::raw encodings to a growable byte buffer.
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

namespace core {

static_assert(std::endian::native == std::endian::little, "fc::raw is little-endian; big-endian hosts are not supported");

class byte_writer {
public:
   byte_writer() = default;
   explicit byte_writer(std::vector<uint8_t>& out) : out_(&out) {}

   void reserve(std::size_t n) { buf().reserve(buf().size() + n); }

   void write(const void* src, std::size_t n) {
      const auto* p = static_cast<const uint8_t*>(src);
      buf().insert(buf().end(), p, p + n); // no zero-fill before the copy, unlike resize()
   }
   void write(std::span<const uint8_t> s) { write(s.data(), s.size()); }

   template <class T>
      requires std::is_integral_v<T>
   void write_int(T v) { write(&v, sizeof(T)); }

   void write_u8(uint8_t v) { buf().push_back(v); }
   void write_bool(bool v) { buf().push_back(v ? 1 : 0); }

   void write_varuint32(uint32_t v) {
      uint8_t tmp[5];
      std::size_t n = 0;
      do {
         uint8_t b = v & 0x7f;
         v >>= 7;
         tmp[n++] = b | (v ? 0x80 : 0);
      } while (v);
      write(tmp, n);
   }
   void write_varint32(int32_t v) {
      write_varuint32((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
   }

   std::vector<uint8_t>& buf() { return out_ ? *out_ : own_; }
   const std::vector<uint8_t>& bytes() const { return out_ ? *out_ : own_; }
   std::vector<uint8_t> take() { return std::move(buf()); }

private:
   std::vector<uint8_t> own_;
   std::vector<uint8_t>* out_ = nullptr;
};

/// Size in bytes of a varuint32 encoding of v.
constexpr std::size_t varuint32_size(uint32_t v) {
   std::size_t n = 1;
   while (v >= 0x80) {
      v >>= 7;
      ++n;
   }
   return n;
}

} // namespace core
