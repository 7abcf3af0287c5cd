#pragma once
/// Spring's vote bitset (fc::dynamic_bitset = boost::dynamic_bitset<uint8_t>): which finalizers,
/// by index in their policy, a QC signature covers.
///
/// Wire form: varuint32 bit count, then ceil(count / 8) bytes, bit i in byte i / 8 at bit
/// i % 8. Bits beyond the count in the last byte are dropped on decode, as fc does.
/// JSON: a string of '0'/'1', the highest index first (boost::to_string). Plain value.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/leaf.hpp"
#include "codec/result.hpp"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace core {

class vote_bitset {
public:
   vote_bitset() = default;
   explicit vote_bitset(std::size_t bits) : bits_(bits), bytes_((bits + 7) / 8, 0) {}

   std::size_t size() const { return bits_; }
   bool test(std::size_t i) const { return i < bits_ && (bytes_[i / 8] >> (i % 8)) & 1; }
   bool operator[](std::size_t i) const { return test(i); }
   /// Precondition: i < size().
   void set(std::size_t i, bool v = true) {
      if (v)
         bytes_[i / 8] |= uint8_t(1u << (i % 8));
      else
         bytes_[i / 8] &= uint8_t(~(1u << (i % 8)));
   }
   std::size_t count() const;
   bool none() const { return count() == 0; }

   friend bool operator==(const vote_bitset&, const vote_bitset&) = default;

   void pack(byte_writer& w) const;
   /// Fails `too_many_elements` when the bytes would exceed the array limit or the input.
   void unpack(byte_reader& r);
   std::string to_string() const;
   /// '0'/'1' characters only, highest index first.
   static result<vote_bitset> from_string(std::string_view s);

private:
   std::size_t bits_ = 0;
   std::vector<uint8_t> bytes_;
};

static_assert(string_leaf<vote_bitset>);

} // namespace core
