#include "crypto/public_key.hpp"
#include "crypto_test_util.hpp"

#include "codec/limits.hpp"
#include "crypto/base58.hpp"
#include "crypto/ripemd160.hpp"

using namespace core;

namespace {
public_key parse(const std::string& s) {
   auto k = public_key::from_string(s);
   INFO(s << ": " << (k ? "" : k.error()));
   REQUIRE(k);
   return *k;
}

void check_rejected(const std::string& s, const std::string& why) {
   auto k = public_key::from_string(s);
   INFO(s);
   REQUIRE_FALSE(k);
   CHECK(k.error().find(why) != std::string::npos);
   CHECK(k.error().find('\n') == std::string::npos);
}
} // namespace

TEST_CASE("public_key: every k1_keypair string form round-trips", "[crypto]") {
   const auto vectors = test::golden_of_type("k1_keypair");
   REQUIRE(vectors.size() >= 5);
   for (const auto& v : vectors) {
      INFO(v.name);
      const std::string legacy = test::field(v, "public_key_legacy");
      const std::string modern = test::field(v, "public_key_k1");
      const public_key a = parse(legacy);
      const public_key b = parse(modern);
      CHECK(a == b);
      CHECK(a.type() == public_key::key_type::k1);
      CHECK(to_hex(a.point()) == test::field(v, "public_key_compressed_hex"));
      CHECK(a.to_string() == legacy);
      CHECK(a.to_pub_string() == modern);
      CHECK(test::packed_hex(a) == test::field(v, "public_key_packed_hex"));
      CHECK(test::packed_hex(a) == v.hex());
      CHECK(test::unpack_all<public_key>(test::unhex(v.hex())) == a);
      CHECK_FALSE(a.empty());
   }
}

TEST_CASE("public_key: the default key is all-zero K1 and prints as fc does", "[crypto]") {
   const auto& v = test::golden_named("empty_public_key");
   const public_key k;
   CHECK(k.empty());
   CHECK(test::packed_hex(k) == v.hex());
   CHECK(k.to_string() == test::field(v, "public_key_string"));
   CHECK(parse(test::field(v, "public_key_string")) == k);
   CHECK(test::unpack_all<public_key>(test::unhex(v.hex())).empty());
   CHECK(min_packed_size<public_key>::value == 34);
}

TEST_CASE("public_key: R1 key string and packed bytes round-trip", "[crypto]") {
   const auto& v = test::golden_named("key_r1_reference_test");
   const std::string s = test::field(v, "public_key");
   const public_key k = parse(s);
   CHECK(k.type() == public_key::key_type::r1);
   CHECK(k.to_string() == s);
   CHECK(k.to_pub_string() == s);
   CHECK(test::packed_hex(k) == test::field(v, "public_key_packed_hex"));
   CHECK(test::unpack_all<public_key>(test::unhex(v.hex())) == k);
}

TEST_CASE("public_key: WebAuthn key matches Leap's serialization test", "[crypto]") {
   // Leap unittests/state_history_tests.cpp (issue #9087) and wharfkit/antelope's serializer
   // tests use this key; its packed form carries the point, user presence 1 and rpid
   // "keosd.invalid". Not in golden.jsonl, which has no WebAuthn vector.
   const std::string s = "PUB_WA_WdCPfafVNxVMiW5ybdNs83oWjenQXvSt1F49fg9mv7qrCiRwHj5b38U3ponCFWxQTkDsMC";
   const std::string packed =
      "020220b9dab512e892392a44a9f41f9433c9fbd80db864e9df5889c2407db3acbb9f010d6b656f73642e696e76616c6964";
   const public_key k = parse(s);
   REQUIRE(k.type() == public_key::key_type::webauthn);
   const auto& wa = std::get<public_key::webauthn>(k.storage);
   CHECK(wa.user_presence == 1);
   CHECK(wa.rpid == "keosd.invalid");
   CHECK(test::packed_hex(k) == packed);
   CHECK(k.to_string() == s);
   CHECK(test::unpack_all<public_key>(test::unhex(packed)) == k);
}

TEST_CASE("public_key: rejects a bad checksum in every string form", "[crypto]") {
   const auto& v = test::golden_named("key_dev_key");
   const std::string legacy = test::field(v, "public_key_legacy");
   const std::string modern = test::field(v, "public_key_k1");
   const std::string r1 = test::field(test::golden_named("key_r1_reference_test"), "public_key");
   const std::string wa = "PUB_WA_WdCPfafVNxVMiW5ybdNs83oWjenQXvSt1F49fg9mv7qrCiRwHj5b38U3ponCFWxQTkDsMC";
   check_rejected(test::corrupt_at(legacy, legacy.size() - 1), "checksum");
   check_rejected(test::corrupt_at(legacy, 10), "checksum");
   check_rejected(test::corrupt_at(modern, modern.size() - 1), "checksum");
   check_rejected(test::corrupt_at(r1, r1.size() - 2), "checksum");
   check_rejected(test::corrupt_at(wa, wa.size() - 1), "checksum");
   // The same body under another type fails the type-suffixed checksum.
   check_rejected("PUB_R1_" + modern.substr(7), "checksum");
   check_rejected("PUB_K1_" + legacy.substr(3), "checksum");
   check_rejected("EOS" + modern.substr(7), "checksum");
}

TEST_CASE("public_key: rejects wrong prefixes, types and missing data", "[crypto]") {
   const std::string modern = test::field(test::golden_named("key_dev_key"), "public_key_k1");
   const std::string body = modern.substr(7);
   check_rejected("PUX_K1_" + body, "prefix");
   check_rejected("SIG_K1_" + body, "prefix");
   check_rejected("PUB_K2_" + body, "key type");
   check_rejected("PUB_" + body, "no key type");
   check_rejected("PUB_K1_", "no data");
   check_rejected(body, "no '_'");
   check_rejected("EOS", "no '_'");
   check_rejected("", "no '_'");
   check_rejected("EOS_" + body, "prefix");
}

TEST_CASE("public_key: rejects truncated strings and bad base58", "[crypto]") {
   const auto& v = test::golden_named("key_seed_alice");
   const std::string legacy = test::field(v, "public_key_legacy");
   const std::string modern = test::field(v, "public_key_k1");
   CHECK_FALSE(public_key::from_string(legacy.substr(0, legacy.size() - 1)));
   CHECK_FALSE(public_key::from_string(modern.substr(0, modern.size() - 1)));
   CHECK_FALSE(public_key::from_string(modern.substr(0, 12)));
   check_rejected("EOS11", "fewer than the 4-byte checksum");
   std::string bad = modern;
   bad[10] = '0';
   check_rejected(bad, "invalid base58 character");
   bad = legacy;
   bad[5] = 'l';
   check_rejected(bad, "invalid base58 character");
   // A correct checksum over 32 bytes instead of 33 is a length error.
   std::vector<uint8_t> body(32, 0x07);
   ripemd160_hasher h;
   h.update(body);
   h.update("K1");
   const checksum160 check = h.final();
   body.insert(body.end(), check.data.begin(), check.data.begin() + 4);
   check_rejected("PUB_K1_" + base58_encode(body), "holds 32 bytes, expected 33");
}

TEST_CASE("public_key: unpack rejects unknown variant index and truncation", "[crypto]") {
   {
      std::vector<uint8_t> in = test::unhex(test::golden_named("key_dev_key").hex());
      in[0] = 3;
      byte_reader r(in);
      public_key k;
      k.unpack(r);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == decode_errc::unknown_variant);
      CHECK(r.error().offset == 0);
      CHECK(k.empty()); // unchanged
   }
   {
      const std::vector<uint8_t> full = test::unhex(test::golden_named("key_dev_key").hex());
      for (std::size_t n = 0; n < full.size(); ++n) {
         byte_reader r(std::span<const uint8_t>(full.data(), n));
         public_key k;
         k.unpack(r);
         INFO("length " << n);
         REQUIRE_FALSE(r.ok());
         CHECK(r.error().code == decode_errc::truncated);
         CHECK(k.empty());
      }
   }
}

TEST_CASE("public_key: WebAuthn unpack checks the rpid length and emptiness", "[crypto]") {
   byte_writer w;
   w.write_u8(2);
   const std::vector<uint8_t> point(33, 0x02);
   w.write(point);
   w.write_u8(1);
   SECTION("empty rpid") {
      w.write_varuint32(0);
      byte_reader r(w.bytes());
      public_key k;
      k.unpack(r);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == decode_errc::bad_value);
   }
   SECTION("rpid above the byte-array limit") {
      w.write_varuint32(static_cast<uint32_t>(limits::max_byte_array_bytes + 1));
      byte_reader r(w.bytes());
      public_key k;
      k.unpack(r);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == decode_errc::bytes_too_large);
   }
   SECTION("rpid longer than the input") {
      w.write_varuint32(50);
      w.write("abc", 3);
      byte_reader r(w.bytes());
      public_key k;
      k.unpack(r);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == decode_errc::count_exceeds_input);
   }
}

TEST_CASE("public_key: ordering follows fc (index first, then bytes)", "[crypto]") {
   public_key::k1 a, b;
   b.data[32] = 1;
   public_key::r1 c;
   CHECK(public_key(a) < public_key(b));
   CHECK(public_key(b) < public_key(c)); // K1 before R1 whatever the bytes
   CHECK(public_key(a) != public_key(c));
}
