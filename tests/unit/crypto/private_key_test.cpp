#include "crypto/private_key.hpp"
#include "crypto_test_util.hpp"

#include "crypto/base58.hpp"
#include "crypto/recover.hpp"
#include "crypto/sha256.hpp"

using namespace core;

namespace {
private_key parse(const std::string& s) {
   auto k = private_key::from_string(s);
   INFO((k ? "" : k.error()));
   REQUIRE(k);
   return *k;
}

void check_rejected(const std::string& s, const std::string& why) {
   auto k = private_key::from_string(s);
   REQUIRE_FALSE(k);
   INFO(k.error());
   CHECK(k.error().find(why) != std::string::npos);
   if (s.size() > 16)
      CHECK(k.error().find(s.substr(8)) == std::string::npos); // never echoes the secret
}

checksum256 digest_of(const test::golden_vector& v) {
   auto d = checksum256::from_string(test::field(v, "digest"));
   REQUIRE(d);
   return *d;
}

/// base58(version ‖ secret ‖ sha256(sha256(version ‖ secret))[0..4]): a WIF with any version byte.
std::string wif_with_version(uint8_t version, const std::vector<uint8_t>& secret) {
   std::vector<uint8_t> buf{version};
   buf.insert(buf.end(), secret.begin(), secret.end());
   const checksum256 check = sha256(sha256(buf).data);
   buf.insert(buf.end(), check.data.begin(), check.data.begin() + 4);
   return base58_encode(buf);
}
} // namespace

TEST_CASE("private_key: every k1_keypair WIF and PVT_K1_ form round-trips", "[crypto]") {
   for (const auto& v : test::golden_of_type("k1_keypair")) {
      INFO(v.name);
      const private_key a = parse(test::field(v, "wif"));
      const private_key b = parse(test::field(v, "pvt_k1"));
      CHECK(a == b);
      CHECK(a.type() == private_key::key_type::k1);
      CHECK(a.valid());
      CHECK(to_hex(a.secret()) == test::field(v, "private_key_hex"));
      CHECK(a.to_string() == test::field(v, "wif")); // fc prints WIF for K1
      CHECK(a.to_wif() == test::field(v, "wif"));
      CHECK(a.to_pvt_string() == test::field(v, "pvt_k1"));
      CHECK(test::packed_hex(a) == test::field(v, "private_key_packed_hex"));
      CHECK(test::unpack_all<private_key>(test::unhex(test::field(v, "private_key_packed_hex"))) == a);
      CHECK(test::packed_hex(a.get_public_key()) == test::field(v, "public_key_packed_hex"));
      CHECK(a.get_public_key().to_string() == test::field(v, "public_key_legacy"));
   }
}

TEST_CASE("k1: signs byte-identically to fc", "[crypto]") {
   const auto vectors = test::golden_of_type("k1_signature");
   REQUIRE(vectors.size() >= 22);
   bool saw_retry = false;
   for (const auto& v : vectors) {
      INFO(v.name);
      const private_key key = parse(test::field(v, "private_key_wif"));
      const signature sig = key.sign(digest_of(v));
      CHECK(to_hex(sig.compact()) == test::field(v, "compact65_hex"));
      CHECK(sig.to_string() == test::field(v, "signature"));
      CHECK(test::packed_hex(sig) == v.hex());
      CHECK(sig.is_canonical());
      saw_retry = saw_retry || test::field(v, "fc_nonce_counter") != "1";
   }
   CHECK(saw_retry); // the vectors exercise the non-canonical retry loop
}

TEST_CASE("r1: PVT_R1_ key parses, re-encodes and derives its public key", "[crypto]") {
   const auto& v = test::golden_named("key_r1_reference_test");
   const private_key k = parse(test::field(v, "pvt_r1"));
   CHECK(k.type() == private_key::key_type::r1);
   CHECK(k.to_string() == test::field(v, "pvt_r1"));
   CHECK(k.to_pvt_string() == test::field(v, "pvt_r1"));
   CHECK(test::packed_hex(k) == test::field(v, "private_key_packed_hex"));
   CHECK(test::unpack_all<private_key>(test::unhex(test::field(v, "private_key_packed_hex"))) == k);
   CHECK(k.get_public_key().to_string() == test::field(v, "public_key"));
}

TEST_CASE("r1: signatures are low-S and recover the signer", "[crypto]") {
   const private_key k = parse(test::field(test::golden_named("key_r1_reference_test"), "pvt_r1"));
   for (int i = 0; i < 8; ++i) {
      const checksum256 d = sha256(std::to_string(i));
      const signature sig = k.sign(d);
      REQUIRE(sig.type() == signature::sig_type::r1);
      CHECK(sig.is_canonical());
      auto rec = recover_key(sig, d);
      INFO((rec ? "" : rec.error()));
      REQUIRE(rec);
      CHECK(*rec == k.get_public_key());
   }
}

TEST_CASE("private_key: generate gives distinct valid keys that sign and recover", "[crypto]") {
   for (auto type : {private_key::key_type::k1, private_key::key_type::r1}) {
      const private_key a = private_key::generate(type);
      const private_key b = private_key::generate(type);
      CHECK(a.valid());
      CHECK(a.type() == type);
      CHECK_FALSE(a == b);
      const checksum256 d = sha256("generated");
      auto rec = recover_key(a.sign(d), d);
      REQUIRE(rec);
      CHECK(*rec == a.get_public_key());
      CHECK(parse(a.to_string()) == a);
      CHECK(parse(a.to_pvt_string()) == a);
   }
}

TEST_CASE("private_key: rejects bad checksums, versions, prefixes and lengths", "[crypto]") {
   const auto& v = test::golden_named("key_seed_bob");
   const std::string wif = test::field(v, "wif");
   const std::string pvt = test::field(v, "pvt_k1");
   const auto secret = test::unhex(test::field(v, "private_key_hex"));
   check_rejected(test::corrupt_at(wif, wif.size() - 1), "checksum");
   check_rejected(test::corrupt_at(pvt, pvt.size() - 1), "checksum");
   check_rejected("PVT_R1_" + pvt.substr(7), "checksum");
   check_rejected(wif_with_version(0x81, secret), "version byte");
   CHECK(parse(wif_with_version(0x80, secret)).to_wif() == wif);
   check_rejected(wif.substr(0, wif.size() - 3), "bytes, expected 37");
   check_rejected("PVT_K2_" + pvt.substr(7), "key type");
   check_rejected("PRV_K1_" + pvt.substr(7), "prefix");
   check_rejected("PVT_K1_", "no data");
   std::string bad = wif;
   bad[8] = '0';
   check_rejected(bad, "invalid base58 character");
}

TEST_CASE("private_key: rejects secrets outside the curve order", "[crypto]") {
   const std::array<uint8_t, 32> zero{};
   CHECK_FALSE(private_key::from_secret(zero));
   CHECK_FALSE(private_key::from_secret(zero, private_key::key_type::r1));
   const auto k1_order = test::unhex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
   const auto r1_order = test::unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
   CHECK_FALSE(private_key::from_secret(std::span<const uint8_t, 32>(k1_order.data(), 32)));
   CHECK_FALSE(private_key::from_secret(std::span<const uint8_t, 32>(r1_order.data(), 32), private_key::key_type::r1));
   auto below = k1_order;
   below[31] -= 1;
   CHECK(private_key::from_secret(std::span<const uint8_t, 32>(below.data(), 32)));
   check_rejected(wif_with_version(0x80, k1_order), "curve order");
   // unpack of a zero secret
   const auto zero_packed = test::unhex("00" + std::string(64, '0'));
   byte_reader r(zero_packed);
   private_key k;
   k.unpack(r);
   CHECK_FALSE(r.ok());
   CHECK(r.error().code == decode_errc::bad_value);
}

TEST_CASE("private_key: an invalid (default) key yields default key and signature", "[crypto]") {
   const private_key k;
   CHECK_FALSE(k.valid());
   CHECK(k.get_public_key().empty());
   CHECK(k.sign(sha256("x")).empty());
}
