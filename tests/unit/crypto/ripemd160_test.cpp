#include "crypto/ripemd160.hpp"
#include "crypto_test_util.hpp"

using namespace core;

TEST_CASE("ripemd160: known answers from the RIPEMD-160 paper", "[crypto]") {
   CHECK(ripemd160("").to_string() == "9c1185a5c5e9fc54612808977ee8f548b2258d31");
   CHECK(ripemd160("a").to_string() == "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe");
   CHECK(ripemd160("abc").to_string() == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
   CHECK(ripemd160("message digest").to_string() == "5d0689ef49d2fae572b881b123a85ffa21595f36");
   CHECK(ripemd160("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").to_string() ==
         "12a053384a9c0c88e405a06c27dcf49ada62eb2b");
   CHECK(ripemd160("12345678901234567890123456789012345678901234567890123456789012345678901234567890").to_string() ==
         "9b752e45573d4b39f4dbd3323cab82bf63326bfb");
}

TEST_CASE("ripemd160: a million 'a' fed in uneven pieces", "[crypto]") {
   ripemd160_hasher h;
   const std::string chunk(999, 'a');
   std::size_t left = 1000000;
   while (left) {
      const std::size_t n = std::min(left, chunk.size());
      h.update(std::string_view(chunk).substr(0, n));
      left -= n;
   }
   CHECK(h.final().to_string() == "52783243c1697bdbe16d37f97f68f08325dc1528");
   CHECK(h.final() == ripemd160("")); // reset after final
}
