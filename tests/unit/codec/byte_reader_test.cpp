#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"

#include <catch2/catch.hpp>

using namespace core;

TEST_CASE("byte_reader: varuint32 rejects a 5th byte above 32 bits", "[codec]") {
   const uint8_t in[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
   byte_reader r(in);
   r.read_varuint32();
   REQUIRE_FALSE(r.ok());
   CHECK(r.error().code == decode_errc::varint_overlong);
   CHECK(r.error().offset == 0);
}

#include "codec/codec.hpp"

namespace {
struct inner {
   uint16_t a = 0;
   std::optional<std::string> s;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(a), CEREAL_NVP(s));
   }
};
struct outer {
   uint64_t big = 0;
   std::vector<inner> items;
   bytes blob;
   std::variant<uint32_t, inner> v;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(big), CEREAL_NVP(items), CEREAL_NVP(blob), CEREAL_NVP(v));
   }
};
} // namespace

TEST_CASE("codec: struct round trip raw and json", "[codec]") {
   outer o;
   o.big = 1ull << 40;
   o.items = {{1, std::nullopt}, {2, std::string("hi")}};
   o.blob = {'\x01', '\x02'};
   o.v = inner{7, std::nullopt};
   auto raw = pack(o);
   auto back = unpack<outer>(raw);
   REQUIRE(back);
   CHECK(pack(*back) == raw);
   auto js = to_json(o);
   CHECK(js == R"({"big":"1099511627776","items":[{"a":1},{"a":2,"s":"hi"}],"blob":"0102","v":[1,{"a":7}]})");
   auto fromj = from_json<outer>(js);
   REQUIRE(fromj);
   CHECK(pack(*fromj) == raw);
   raw[raw.size() - 3] = 9; // corrupt
   raw.push_back(0);
   auto bad = unpack<outer>(raw);
   REQUIRE_FALSE(bad);
}

TEST_CASE("byte_writer: own buffer holds exactly the bytes written, across growth", "[codec]") {
   byte_writer w;
   std::vector<uint8_t> want;
   for (uint32_t i = 0; i < 5000; ++i) {
      w.write_varuint32(i * 37);
      w.write_int(uint16_t(i));
      w.write(nullptr, 0);
      byte_writer ref(want);
      ref.write_varuint32(i * 37);
      ref.write_int(uint16_t(i));
      if (i % 1000 == 0) { // reading the bytes in between does not disturb later writes
         CHECK(w.bytes() == want);
         CHECK(w.size() == want.size());
      }
   }
   CHECK(w.bytes() == want);
   w.reserve(100);
   CHECK(w.bytes() == want);
   const auto taken = w.take();
   CHECK(taken == want);
   CHECK(w.size() == 0);
   w.write_u8(5);
   CHECK(w.bytes() == std::vector<uint8_t>{5});
   w.clear();
   CHECK(w.bytes().empty());
}

TEST_CASE("byte_writer: an external buffer is exact at every step", "[codec]") {
   std::vector<uint8_t> out = {9};
   byte_writer w(out);
   w.write_int(uint32_t(0x04030201));
   CHECK(out == std::vector<uint8_t>{9, 1, 2, 3, 4});
   w.reserve(1000);
   CHECK(out.size() == 5);
   w.write_bool(true);
   CHECK(out.size() == 6);
   CHECK(w.size() == 6);
}

TEST_CASE("codec: integer vectors decode in one step with the per-element errors", "[codec]") {
   const std::vector<uint16_t> v = {1, 2, 0xffff};
   auto raw = pack(v);
   CHECK(*unpack<std::vector<uint16_t>>(raw) == v);
   raw.pop_back(); // the count now exceeds what the input can hold
   auto r = unpack<std::vector<uint16_t>>(raw);
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::count_exceeds_input);
   CHECK(r.error().offset == 0);
   // int32_t has no fixed minimum size: truncation inside an element names the element.
   auto raw32 = pack(std::vector<int32_t>{1, 2});
   raw32.pop_back();
   auto t = unpack<std::vector<int32_t>>(raw32);
   REQUIRE_FALSE(t);
   CHECK(t.error().code == decode_errc::truncated);
   CHECK(t.error().field == "[1]");
   CHECK(t.error().offset == 5);
}
