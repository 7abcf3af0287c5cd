#include "crypto/base58.hpp"
#include "crypto_test_util.hpp"

using namespace core;

TEST_CASE("base58: known encodings, leading zeros as '1'", "[crypto]") {
   const std::string hello = "Hello World!";
   CHECK(base58_encode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(hello.data()), hello.size())) ==
         "2NEpo7TZRRrLZSi2U");
   CHECK(base58_encode(test::unhex("00000000")) == "1111");
   CHECK(base58_encode(test::unhex("0000ff")) == "115Q");
   CHECK(base58_encode({}) == "");
   auto d = base58_decode("115Q");
   REQUIRE(d);
   CHECK(to_hex(*d) == "0000ff");
}

TEST_CASE("base58: round trips of varied lengths and leading zeros", "[crypto]") {
   for (std::size_t len = 0; len < 80; ++len) {
      for (std::size_t zeros = 0; zeros <= std::min<std::size_t>(len, 3); ++zeros) {
         std::vector<uint8_t> data(len);
         for (std::size_t i = zeros; i < len; ++i)
            data[i] = static_cast<uint8_t>(i * 97 + len * 13 + 1);
         const std::string s = base58_encode(data);
         auto back = base58_decode(s);
         INFO("len " << len << " zeros " << zeros << " -> " << s);
         REQUIRE(back);
         CHECK(*back == data);
      }
   }
}

TEST_CASE("base58: rejects characters outside the alphabet", "[crypto]") {
   for (const char* bad : {"0abc", "abcO", "Iabc", "ablc", "ab c", " abc", "abc\n", "ab+c", "ab\xc3\xa9"}) {
      auto r = base58_decode(bad);
      INFO(bad);
      REQUIRE_FALSE(r);
      CHECK(r.error().find("invalid base58 character") != std::string::npos);
   }
}

TEST_CASE("base58: rejects input above the length cap before decoding", "[crypto]") {
   const std::string long_input(base58_max_chars + 1, '2');
   auto r = base58_decode(long_input);
   REQUIRE_FALSE(r);
   CHECK(r.error().find("limit") != std::string::npos);
   CHECK(base58_decode(std::string(base58_max_chars, '2')));
   CHECK_FALSE(base58_decode("22222", 4));
}
