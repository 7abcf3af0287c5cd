#include "crypto/sha256.hpp"
#include "crypto_test_util.hpp"

#include <cstring>

using namespace core;

TEST_CASE("sha256: handshake token is sha256 of the 8-byte little-endian time", "[crypto]") {
   const auto& v = test::golden_named("sha256_of_int64_time");
   const int64_t t = std::stoll(test::field(v, "int64"));
   uint8_t le[8];
   std::memcpy(le, &t, 8);
   CHECK(to_hex(std::span<const uint8_t>(le, 8)) == test::field(v, "le_bytes"));
   CHECK(sha256(std::span<const uint8_t>(le, 8)).to_string() == test::field(v, "sha256"));
   CHECK(sha256(std::span<const uint8_t>(le, 8)).to_string() == v.hex());
}

TEST_CASE("sha256: FIPS 180-2 known answers", "[crypto]") {
   CHECK(sha256("abc").to_string() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
   CHECK(sha256("").to_string() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256: incremental hashing equals one-shot and the hasher resets after final", "[crypto]") {
   std::vector<uint8_t> data(1000);
   for (std::size_t i = 0; i < data.size(); ++i)
      data[i] = static_cast<uint8_t>(i * 31 + 7);
   const checksum256 expected = sha256(data);
   sha256_hasher h;
   for (std::size_t at = 0; at < data.size(); at += 37)
      h.update(std::span<const uint8_t>(data).subspan(at, std::min<std::size_t>(37, data.size() - at)));
   CHECK(h.final() == expected);
   h.update("abc");
   CHECK(h.final() == sha256("abc"));
   CHECK(h.final() == sha256(""));
}
