#pragma once
/// Small helpers shared by the crypto tests.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/hex.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace test {

/// Bytes of a hex string; fails the test on bad hex.
inline std::vector<uint8_t> unhex(const std::string& h) {
   auto b = core::from_hex(h);
   REQUIRE(b.has_value());
   return *b;
}

/// A string field of a golden vector.
inline std::string field(const golden_vector& v, const char* name) {
   REQUIRE(v.fields().HasMember(name));
   return str_of(v.fields()[name]);
}

/// True if the golden vector has field `name` (some vectors carry a subset).
inline bool has_field(const golden_vector& v, const char* name) { return v.fields().HasMember(name); }

/// fc::raw::pack of a string leaf, as hex.
template <class T>
std::string packed_hex(const T& value) {
   core::byte_writer w;
   value.pack(w);
   return core::to_hex(w.bytes());
}

/// Unpacks a whole buffer; fails the test if decoding fails or leaves bytes over.
template <class T>
T unpack_all(const std::vector<uint8_t>& bytes) {
   core::byte_reader r(bytes);
   T out;
   out.unpack(r);
   INFO(r.error().message());
   REQUIRE(r.ok());
   REQUIRE(r.remaining() == 0);
   return out;
}

/// `s` with the character at `pos` replaced by another base58 character.
inline std::string corrupt_at(std::string s, std::size_t pos) {
   s[pos] = s[pos] == 'z' ? 'y' : 'z';
   return s;
}

} // namespace test
