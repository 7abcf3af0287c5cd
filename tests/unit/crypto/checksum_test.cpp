#include "crypto/checksum.hpp"
#include "crypto_test_util.hpp"

using namespace core;

TEST_CASE("checksum256: hex string round trip, either case", "[crypto]") {
   const std::string lower = "e1624f55eace539f6b8618b7fc3a34668f16cc7a1a709cc211f7282cd00766b0";
   std::string upper = lower;
   for (auto& c : upper)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
   auto a = checksum256::from_string(lower);
   auto b = checksum256::from_string(upper);
   REQUIRE(a);
   REQUIRE(b);
   CHECK(*a == *b);
   CHECK(a->to_string() == lower);
   CHECK(b->to_string() == lower);
   CHECK(a->data[0] == 0xe1);
   CHECK(a->data[31] == 0xb0);
   CHECK_FALSE(a->empty());
}

TEST_CASE("checksum256: from_string rejects wrong length and non-hex", "[crypto]") {
   CHECK_FALSE(checksum256::from_string(""));
   CHECK_FALSE(checksum256::from_string(std::string(62, 'a')));
   CHECK_FALSE(checksum256::from_string(std::string(66, 'a')));
   CHECK_FALSE(checksum256::from_string(std::string(63, 'a') + "g"));
   CHECK_FALSE(checksum256::from_string("0x" + std::string(62, 'a')));
   auto e = checksum256::from_string(std::string(10, 'a'));
   REQUIRE_FALSE(e);
   CHECK(e.error().find("64 hex characters") != std::string::npos);
   CHECK(checksum160::from_string(std::string(40, '0')));
   CHECK_FALSE(checksum160::from_string(std::string(64, '0')));
}

TEST_CASE("checksum256: packs as 32 raw bytes and unpacks them back", "[crypto]") {
   checksum256 c;
   for (std::size_t i = 0; i < 32; ++i)
      c.data[i] = static_cast<uint8_t>(i * 7 + 1);
   byte_writer w;
   c.pack(w);
   REQUIRE(w.bytes().size() == 32);
   CHECK(std::equal(c.data.begin(), c.data.end(), w.bytes().begin()));
   CHECK(test::unpack_all<checksum256>(w.bytes()) == c);
   CHECK(min_packed_size<checksum256>::value == 32);
}

TEST_CASE("checksum256: truncated unpack fails and leaves the value unchanged", "[crypto]") {
   const std::vector<uint8_t> short_input(31, 0xab);
   byte_reader r(short_input);
   checksum256 c;
   c.data[0] = 0x55;
   c.unpack(r);
   CHECK_FALSE(r.ok());
   CHECK(r.error().code == decode_errc::truncated);
   CHECK(c.data[0] == 0x55);
}

TEST_CASE("checksum256: empty() and byte-wise ordering", "[crypto]") {
   checksum256 zero, one, high;
   one.data[31] = 1;
   high.data[0] = 0x80;
   CHECK(zero.empty());
   CHECK_FALSE(one.empty());
   CHECK(zero < one);
   CHECK(one < high); // unsigned, most significant byte first
   CHECK(zero != one);
}

TEST_CASE("checksum256: std::hash uses the trailing bytes", "[crypto]") {
   checksum256 a, b;
   b.data[31] = 1;
   CHECK(std::hash<checksum256>{}(a) != std::hash<checksum256>{}(b));
   checksum256 c;
   c.data[0] = 9; // leading bytes (a block number) do not change the bucket
   CHECK(std::hash<checksum256>{}(a) == std::hash<checksum256>{}(c));
}
