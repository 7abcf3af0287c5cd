#include "crypto/recover.hpp"
#include "crypto_test_util.hpp"

#include "crypto/sha256.hpp"

using namespace core;

namespace {
signature sig_of(const test::golden_vector& v) {
   auto s = signature::from_string(test::field(v, "signature"));
   REQUIRE(s);
   return *s;
}
checksum256 digest_of(const test::golden_vector& v) {
   auto d = checksum256::from_string(test::field(v, "digest"));
   REQUIRE(d);
   return *d;
}
void check_rejected(const signature& sig, const checksum256& d, const std::string& why) {
   auto k = recover_key(sig, d);
   REQUIRE_FALSE(k);
   INFO(k.error());
   CHECK(k.error().find(why) != std::string::npos);
}

/// 32-byte big-endian a - b (a >= b).
std::array<uint8_t, 32> sub(const std::vector<uint8_t>& a, std::span<const uint8_t> b) {
   std::array<uint8_t, 32> out{};
   int borrow = 0;
   for (int i = 31; i >= 0; --i) {
      int d = int(a[i]) - int(b[i]) - borrow;
      borrow = d < 0;
      out[i] = static_cast<uint8_t>(d + (borrow ? 256 : 0));
   }
   return out;
}
} // namespace

TEST_CASE("k1: recovers the reference key from every k1_signature", "[crypto]") {
   for (const auto& v : test::golden_of_type("k1_signature")) {
      INFO(v.name);
      auto k = recover_key(sig_of(v), digest_of(v));
      INFO((k ? "" : k.error()));
      REQUIRE(k);
      CHECK(k->to_string() == test::field(v, "recovered_public_key"));
      if (test::has_field(v, "recovered_public_key_k1"))
         CHECK(k->to_pub_string() == test::field(v, "recovered_public_key_k1"));
      if (test::has_field(v, "public_key"))
         CHECK(k->to_string() == test::field(v, "public_key"));
   }
}

TEST_CASE("k1: a different digest recovers a different key", "[crypto]") {
   const auto& v = test::golden_named("sig_seed_alice_d2");
   checksum256 d = digest_of(v);
   d.data[5] ^= 1;
   auto k = recover_key(sig_of(v), d);
   REQUIRE(k);
   CHECK(k->to_string() != test::field(v, "recovered_public_key"));
}

TEST_CASE("r1: recovers the reference key from the R1 sample", "[crypto]") {
   const auto& v = test::golden_named("sig_r1_sample");
   auto k = recover_key(sig_of(v), digest_of(v));
   INFO((k ? "" : k.error()));
   REQUIRE(k);
   CHECK(k->type() == public_key::key_type::r1);
   CHECK(k->to_string() == test::field(v, "recovered_public_key"));
}

TEST_CASE("k1: recover rejects non-canonical signatures", "[crypto]") {
   const auto& v = test::golden_named("sig_dev_key_d0");
   const signature good = sig_of(v);
   const checksum256 d = digest_of(v);
   const auto base = std::get<signature::k1>(good.storage);
   const auto n = test::unhex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

   SECTION("s flipped to n - s (the other valid signature, high S)") {
      auto c = base;
      const auto s2 = sub(n, std::span<const uint8_t>(c.data).subspan(33, 32));
      std::copy(s2.begin(), s2.end(), c.data.begin() + 33);
      c.data[0] ^= 1; // the flipped signature recovers with the other parity
      REQUIRE_FALSE(signature(c).is_canonical());
      check_rejected(signature(c), d, "not canonical");
   }
   SECTION("high bit of r set") {
      auto c = base;
      c.data[1] |= 0x80;
      check_rejected(signature(c), d, "not canonical");
   }
   SECTION("redundant leading zero in s") {
      auto c = base;
      c.data[33] = 0;
      c.data[34] = 0x01;
      check_rejected(signature(c), d, "not canonical");
   }
}

TEST_CASE("k1: recover rejects bad headers, the empty signature and out-of-range r", "[crypto]") {
   const auto& v = test::golden_named("sig_dev_key_d0");
   const checksum256 d = digest_of(v);
   auto c = std::get<signature::k1>(sig_of(v).storage);
   check_rejected(signature{}, d, "empty");
   for (uint8_t h : {0, 26, 35, 255}) {
      auto bad = c;
      bad.data[0] = h;
      check_rejected(signature(bad), d, "header byte");
   }
   // Headers 27..30 (uncompressed flag) are accepted like fc; they carry the same recid.
   auto legacy = c;
   legacy.data[0] = static_cast<uint8_t>(c.data[0] - 4);
   auto k = recover_key(signature(legacy), d);
   REQUIRE(k);
   CHECK(k->to_string() == test::field(v, "recovered_public_key"));
   // About half of all x values are not on the curve: some r in this range must be rejected.
   int rejected = 0;
   for (uint8_t i = 1; i <= 32; ++i) {
      auto off_curve = c;
      std::fill(off_curve.data.begin() + 1, off_curve.data.begin() + 33, 0);
      off_curve.data[1] = 0x01;
      off_curve.data[32] = i;
      auto rec = recover_key(signature(off_curve), d);
      if (!rec) {
         CHECK(rec.error().find("does not recover") != std::string::npos);
         ++rejected;
      }
   }
   CHECK(rejected > 0);
}

TEST_CASE("r1: recover rejects high S and bad headers", "[crypto]") {
   const auto& v = test::golden_named("sig_r1_sample");
   const checksum256 d = digest_of(v);
   const auto base = std::get<signature::r1>(sig_of(v).storage);
   const auto n = test::unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
   auto high = base;
   const auto s2 = sub(n, std::span<const uint8_t>(high.data).subspan(33, 32));
   std::copy(s2.begin(), s2.end(), high.data.begin() + 33);
   CHECK_FALSE(signature(high).is_canonical());
   check_rejected(signature(high), d, "high S");
   auto bad = base;
   bad.data[0] = 35;
   check_rejected(signature(bad), d, "header byte");
}
