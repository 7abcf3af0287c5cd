#include "bls_test_util.hpp"

#include "codec/codec.hpp"
#include "crypto/bls/detail/keygen.hpp"
#include "crypto/bls/detail/string_form.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"
#include "crypto/sha256.hpp"

using namespace core::bls;

namespace {

// Spring's own string-form test (libraries/libfc/test/test_bls.cpp, bls_prefix_encoding_check).
const std::string spring_pvt = "PVT_BLS_vh0bYgBLOLxs_h9zvYNtj20yj8UJxWeFFAtDUW2_pG44e5yc";
const std::string spring_pub =
   "PUB_BLS_82P3oM1u0IEv64u9i4vSzvg1-QDl4Fb2n50Mp8Sk7Fr1Tz0MJypzL39nSd5VPFgFC9WqrjopRbBm1Pf0RkP018fo1k2rXaJY7Wtzd9RKlE8PoQ6XhDm4PyZlIupQg_gOuiMhcg";
const std::string spring_sig =
   "SIG_BLS_RrwvP79LxfahskX-ceZpbgrJ1aUkSSIzE2sMFj0twuhK8QwjcGMvT2tZ_-QMHvAV83tWZYOs7SEvoyteCKGD_Tk6YySkw1HONgvVeNWM8ZwuNgonOHkegNNPIXSIvWMTczfkg2lEtEh-ngBa5t9-4CvZ6aOjg29XPVvu6dimzHix-9E0M53YkWZ-gW5GDkkOLoN2FMxjXaELmhuI64xSeSlcWLFfZa6TMVTctBFWsHDXm1ZMkURoB83dokKHEi4OQTbJtg";

/// Spring's test body with another prefix.
std::string body(const std::string& s) { return s.substr(8); }

} // namespace

TEST_CASE("bls keys: Spring's keys give Spring's public keys and proofs of possession, byte for byte", "[crypto][bls]") {
   const auto lines = bls_test::data_lines("spring_bls_keys.txt");
   REQUIRE(lines.size() >= 36);
   for (const auto& f : lines) {
      INFO(f[0] << " (" << f[3] << ")");
      const auto sk = private_key::parse(f[0]);
      REQUIRE(sk);
      CHECK(sk->to_string() == f[0]);
      const public_key pk = sk->get_public_key();
      CHECK(pk.to_string() == f[1]);
      const signature pop = sk->proof_of_possession();
      CHECK(pop.to_string() == f[2]);
      const auto parsed_pk = public_key::parse(f[1]);
      const auto parsed_pop = signature::parse(f[2]);
      REQUIRE(parsed_pk);
      REQUIRE(parsed_pop);
      CHECK(*parsed_pk == pk);
      CHECK(verify_pop(*parsed_pk, *parsed_pop));
   }
}

TEST_CASE("bls keys: the string forms Spring rejects are rejected, with the reason", "[crypto][bls]") {
   REQUIRE(private_key::parse(spring_pvt));
   REQUIRE(public_key::parse(spring_pub));
   REQUIRE(signature::parse(spring_sig));
   for (const std::string prefix : {"PVTBLS", "XYZ_BLS_", "PVT_XYZ_", "", "PVT_", "BLS_"}) {
      INFO(prefix);
      CHECK(private_key::parse(prefix + body(spring_pvt)).error() == error::bad_prefix);
      CHECK(public_key::parse(prefix + body(spring_pub)).error() == error::bad_prefix);
      CHECK(signature::parse(prefix + body(spring_sig)).error() == error::bad_prefix);
   }
   // Spring's "invalid data / invalid checksum" cases: one character changed.
   const auto changed = [](std::string s, std::size_t at, char c) { return s.replace(at, 1, 1, c); };
   CHECK(private_key::parse(changed(spring_pvt, 8, 'w')).error() == error::bad_checksum);
   CHECK(public_key::parse(changed(spring_pub, 8, '9')).error() == error::bad_checksum);
   CHECK(signature::parse(changed(spring_sig, 8, 'S')).error() == error::bad_checksum);
   CHECK(private_key::parse(changed(spring_pvt, spring_pvt.size() - 2, 'z')).error() == error::bad_checksum);
   CHECK(public_key::parse(changed(spring_pub, spring_pub.size() - 2, 'T')).error() == error::bad_checksum);
   CHECK(signature::parse(changed(spring_sig, spring_sig.size() - 2, 'U')).error() == error::bad_checksum);
   // Not base64url, wrong lengths, padding.
   CHECK(public_key::parse(changed(spring_pub, 20, '+')).error() == error::bad_base64);
   CHECK(public_key::parse(spring_pub + "AAAA").error() == error::bad_length);
   CHECK(public_key::parse(spring_pub.substr(0, 100)).error() == error::bad_length);
   CHECK(signature::parse(spring_pub).error() == error::bad_prefix);
   CHECK(public_key::parse(spring_pub + "==").value() == public_key::parse(spring_pub).value());
   CHECK(private_key::parse(spring_pvt + "A").error() == error::bad_base64); // 49 characters: 1 mod 4
   // Like fc, the unused low bits of the last character are ignored ('g' and 'h' differ only there).
   CHECK(public_key::parse(changed(spring_pub, spring_pub.size() - 1, 'h')).value() == public_key::parse(spring_pub).value());
   // The string_leaf form explains in one line.
   const auto e = public_key::from_string("PUB_K1_abc");
   REQUIRE_FALSE(e);
   CHECK(e.error() == "BLS public key: missing PUB_BLS_, SIG_BLS_ or PVT_BLS_ prefix");
}

TEST_CASE("bls keys: well-formed strings of points that are not valid keys or signatures", "[crypto][bls]") {
   // The string form of (0, 2): on E1, order 3.
   std::array<uint8_t, 96> order3{};
   order3[48] = 2;
   const std::string s = core::bls::detail::encode_string("PUB_BLS_", order3);
   CHECK(public_key::parse(s).error() == error::not_in_subgroup);
   std::array<uint8_t, 96> off_curve{};
   off_curve[48] = 3;
   CHECK(public_key::parse(core::bls::detail::encode_string("PUB_BLS_", off_curve)).error() == error::not_on_curve);
   std::array<uint8_t, 192> big;
   big.fill(0xff);
   CHECK(signature::parse(core::bls::detail::encode_string("SIG_BLS_", big)).error() == error::non_canonical);
   // The identity decodes, as in Spring, and says so.
   const auto id = public_key::parse(core::bls::detail::encode_string("PUB_BLS_", std::array<uint8_t, 96>{}));
   REQUIRE(id);
   CHECK(id->is_identity());
   CHECK(public_key{} == *id);
}

TEST_CASE("bls keys: fc::raw forms are a varuint length and the bytes", "[crypto][bls]") {
   const auto pk = *public_key::parse(spring_pub);
   const auto sig = *signature::parse(spring_sig);
   const auto pk_bytes = core::pack(pk);
   REQUIRE(pk_bytes.size() == 97);
   CHECK(pk_bytes[0] == 96);
   CHECK(std::equal(pk.bytes().begin(), pk.bytes().end(), pk_bytes.begin() + 1));
   const auto sig_bytes = core::pack(sig);
   REQUIRE(sig_bytes.size() == 194);
   CHECK(sig_bytes[0] == 0xc0);
   CHECK(sig_bytes[1] == 0x01);
   CHECK(core::unpack<public_key>(pk_bytes).value() == pk);
   CHECK(core::unpack<signature>(sig_bytes).value() == sig);

   auto wrong_len = pk_bytes;
   wrong_len[0] = 95;
   const auto e1 = core::unpack<public_key>(wrong_len);
   REQUIRE_FALSE(e1);
   CHECK(e1.error().code == core::decode_errc::bad_value);
   auto bad_point = sig_bytes;
   bad_point[10] ^= 1;
   const auto e2 = core::unpack<signature>(bad_point);
   REQUIRE_FALSE(e2);
   CHECK(e2.error().code == core::decode_errc::bad_value);
   CHECK(core::unpack<signature>(std::span<const uint8_t>(sig_bytes.data(), 100)).error().code ==
         core::decode_errc::truncated);
   CHECK(core::to_json(pk) == "\"" + spring_pub + "\"");
}

TEST_CASE("bls keys: HMAC-SHA-256 (RFC 4231) under the key generation", "[crypto][bls]") {
   using core::bls::detail::hmac_sha256;
   const std::vector<uint8_t> key1(20, 0x0b);
   CHECK(core::to_hex(hmac_sha256(key1, bls_test::bytes_of("Hi There"))) ==
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
   CHECK(core::to_hex(hmac_sha256(bls_test::bytes_of("Jefe"), bls_test::bytes_of("what do ya want for nothing?"))) ==
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
   const std::vector<uint8_t> key6(131, 0xaa);
   CHECK(core::to_hex(hmac_sha256(key6, bls_test::bytes_of("Test Using Larger Than Block-Size Key - Hash Key First"))) ==
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("bls keys: seeds, raw bytes and generation", "[crypto][bls]") {
   CHECK(private_key::from_seed(std::vector<uint8_t>(31, 1)).error() == error::seed_too_short);
   const auto a = private_key::from_seed(std::vector<uint8_t>(32, 1));
   const auto b = private_key::from_seed(std::vector<uint8_t>(32, 1));
   const auto c = private_key::from_seed(std::vector<uint8_t>(33, 1));
   REQUIRE(a);
   REQUIRE(c);
   CHECK(*a == *b);
   CHECK_FALSE(*a == *c);

   CHECK(private_key::from_bytes(std::vector<uint8_t>(32, 0)).error() == error::zero_key);
   CHECK(private_key::from_bytes(std::vector<uint8_t>(31, 1)).error() == error::bad_length);
   // r itself is zero mod r; r + 1 acts as 1 and keeps its bytes.
   std::array<uint8_t, 32> r_bytes{}, r_plus_1{}, one{};
   for (std::size_t i = 0; i < 32; ++i)
      r_bytes[i] = uint8_t(core::bls::detail::r_limbs[i / 8] >> (8 * (i % 8)));
   r_plus_1 = r_bytes;
   r_plus_1[0] += 1;
   one[0] = 1;
   CHECK(private_key::from_bytes(r_bytes).error() == error::zero_key);
   const auto big = private_key::from_bytes(r_plus_1);
   REQUIRE(big);
   CHECK(big->bytes() == r_plus_1);
   CHECK(big->get_public_key() == private_key::from_bytes(one)->get_public_key());
   CHECK(private_key::parse(big->to_string())->bytes() == r_plus_1);

   const private_key g1 = private_key::generate(), g2 = private_key::generate();
   CHECK_FALSE(g1 == g2);
   const std::vector<uint8_t> msg = {1, 2, 3};
   CHECK(verify(g1.get_public_key(), msg, g1.sign(msg)));
   CHECK_FALSE(verify(g2.get_public_key(), msg, g1.sign(msg)));
}
