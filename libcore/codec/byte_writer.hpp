#pragma once
/// Appends fc::raw encodings to a growable byte buffer.
#include <algorithm>
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
   /// Appends to `out`, which stays exactly the bytes written so far at all times.
   explicit byte_writer(std::vector<uint8_t>& out) : out_(&out) {}

   void reserve(std::size_t n) {
      if (out_)
         out_->reserve(out_->size() + n);
      else if (own_.size() - len_ < n)
         own_.resize(len_ + n);
   }

   void write(const void* src, std::size_t n) {
      if (out_) {
         const auto* p = static_cast<const uint8_t*>(src);
         out_->insert(out_->end(), p, p + n); // no zero-fill before the copy, unlike resize()
         return;
      }
      if (own_.size() - len_ < n)
         grow(n);
      if (n != 0) // src may be null when n is 0
         std::memcpy(own_.data() + len_, src, n);
      len_ += n;
   }
   void write(std::span<const uint8_t> s) { write(s.data(), s.size()); }

   template <class T>
      requires std::is_integral_v<T>
   void write_int(T v) { write(&v, sizeof(T)); }

   void write_u8(uint8_t v) { write(&v, 1); }
   void write_bool(bool v) { write_u8(v ? 1 : 0); }

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

   std::size_t size() const { return out_ ? out_->size() : len_; }
   void clear() {
      if (out_)
         out_->clear();
      len_ = 0;
   }
   const std::vector<uint8_t>& bytes() const {
      if (out_)
         return *out_;
      own_.resize(len_); // drops the unwritten tail; never reallocates
      return own_;
   }
   std::vector<uint8_t> take() {
      if (out_)
         return std::move(*out_);
      own_.resize(len_);
      len_ = 0;
      return std::move(own_);
   }

private:
   void grow(std::size_t n) {
      constexpr std::size_t min_capacity_bytes = 64;
      std::size_t cap = std::max(own_.size() * 2, min_capacity_bytes);
      own_.resize(std::max(cap, len_ + n));
   }

   /// Own storage: the first len_ bytes are the output; the rest (zero-filled) is room to write
   /// without std::vector's per-insert bookkeeping.
   mutable std::vector<uint8_t> own_;
   std::size_t len_ = 0;
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
