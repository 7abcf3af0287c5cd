#pragma once
/// A bounds-checked little-endian cursor over an input span, with a sticky error.
///
/// Once any read fails, the reader records one decode_error (code, offset, field path) and every
/// later read returns zero values without touching memory, so decoders never need exceptions and
/// never allocate from a value read after a failure. Callers check ok() once at the end.
#include "codec/decode_error.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace core {

class byte_reader {
public:
   explicit byte_reader(std::span<const uint8_t> in) : data_(in.data()), size_(in.size()) {}

   bool ok() const { return err_.code == decode_errc::ok; }
   const decode_error& error() const { return err_; }
   std::size_t offset() const { return pos_; }
   std::size_t remaining() const { return size_ - pos_; }
   std::size_t size() const { return size_; }
   /// Bytes by which the varuint32s read so far exceed their minimal encodings. fc accepts
   /// non-minimal forms (`85 00` for 5); re-encoding drops these bytes, so an input with none
   /// re-encodes byte-identically.
   std::size_t noncanonical_bytes() const { return noncanonical_bytes_; }

   /// Records the first failure (later ones are ignored) at the current offset.
   void fail(decode_errc code, std::string detail = {});
   /// Records a failure at an explicit offset (the start of the value that was bad).
   void fail_at(std::size_t offset, decode_errc code, std::string detail = {});

   /// Copies n bytes into dst; on shortage fails with `truncated` and zero-fills dst.
   bool read(void* dst, std::size_t n) {
      if (!ok() || n > remaining()) {
         if (ok())
            fail(decode_errc::truncated, fmt_need(n));
         std::memset(dst, 0, n);
         return false;
      }
      std::memcpy(dst, data_ + pos_, n);
      pos_ += n;
      return true;
   }

   /// A view of the next n bytes (empty on failure).
   std::span<const uint8_t> take(std::size_t n) {
      if (!ok() || n > remaining()) {
         if (ok())
            fail(decode_errc::truncated, fmt_need(n));
         return {};
      }
      auto s = std::span<const uint8_t>(data_ + pos_, n);
      pos_ += n;
      return s;
   }

   template <class T>
      requires std::is_integral_v<T>
   T read_int() {
      T v{};
      read(&v, sizeof(T));
      return v; // the toolkit targets little-endian hosts only (static_assert in byte_writer.hpp)
   }

   uint8_t read_u8() { return read_int<uint8_t>(); }
   bool read_bool() {
      if (ok() && pos_ < size_ && data_[pos_] <= 1) // fast path; errors take the slow one
         return data_[pos_++] == 1;
      return read_bool_slow();
   }
   uint32_t read_varuint32() {
      if (ok() && pos_ < size_ && data_[pos_] < 0x80) // one-byte encodings are the common case
         return data_[pos_++];
      return read_varuint32_slow();
   }
   int32_t read_varint32();

   /// Reads a count (varuint32) for a container whose elements take at least min_element_bytes
   /// each, and checks it against `max_count` and the remaining input before anyone allocates.
   uint32_t read_count(std::size_t max_count, std::size_t min_element_bytes, decode_errc too_big) {
      if (ok() && pos_ < size_ && data_[pos_] < 0x80) {
         const uint32_t n = data_[pos_];
         if (n <= max_count && (min_element_bytes == 0 || n <= (remaining() - 1) / min_element_bytes)) {
            ++pos_;
            return n;
         }
      }
      return read_count_slow(max_count, min_element_bytes, too_big);
   }

   // Field path, maintained by the archives so errors can name the failing field. Fixed
   // storage: no allocation on the decode hot path; levels below max_path_depth (deeper than
   // any wire type nests) are counted but not named.
   static constexpr std::size_t max_path_depth = 32;
   void push_field(const char* name) { push({name, 0}); }
   void push_index(std::size_t i) { push({nullptr, i}); }
   void set_index(std::size_t i) {
      if (depth_ <= max_path_depth)
         path_[depth_ - 1].index = i;
   }
   void pop() { --depth_; }
   std::string path() const;

private:
   using path_elem = field_path_elem;
   static std::string fmt_need(std::size_t n);
   bool read_bool_slow();
   uint32_t read_varuint32_slow();
   uint32_t read_count_slow(std::size_t max_count, std::size_t min_element_bytes, decode_errc too_big);
   void push(path_elem e) {
      if (depth_ < max_path_depth)
         path_[depth_] = e;
      ++depth_;
   }

   const uint8_t* data_;
   std::size_t size_;
   std::size_t pos_ = 0;
   std::size_t noncanonical_bytes_ = 0;
   decode_error err_;
   std::size_t depth_ = 0;
   std::array<path_elem, max_path_depth> path_; ///< the first min(depth_, max_path_depth) levels
};

} // namespace core
