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
