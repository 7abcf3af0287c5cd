// WebAuthn signature recovery: Leap's own vector, and the rules of fc's recovery (the cases of
// Leap's libraries/libfc/test/crypto/test_webauthn.cpp) on signatures made here with an R1 key.
#include "crypto/private_key.hpp"
#include "crypto/recover.hpp"
#include "crypto/sha256.hpp"
#include "crypto/webauthn.hpp"
#include "crypto_test_util.hpp"

#include <fmt/format.h>

#include <cstring>
#include <string_view>

using namespace core;

namespace {

// Leap v5.0.3 unittests/protocol_feature_tests.cpp, the webauthn_recover_key tests: "Given digest
// a2256be7… and signature SIG_WA_2AAAuLJS3… should recover to pubkey PUB_WA_WdCPfafV…"; the test's
// WASM holds the same signature as packed bytes.
constexpr std::string_view leap_digest = "a2256be721c7d090ba13d6c37eee2a06c663473a40950d4f64f0a762dbe13d49";
constexpr std::string_view leap_signature =
   "SIG_WA_2AAAuLJS3pLPgkQQPqLsehL6VeRBaAZS7NYM91UYRUrSAEfUvzKN7DCSwhjsDqe74cZNWKUUGAHGG8ddSA7cvUxChbfKxLSrDCpwe6MVUqz4PDdyCt"
   "5tXhEJmKekxG1o1ucY3LVj8Vi9rRbzAkKPCzWqC8cPcUtpLHNG8qUKkQrN4Xuwa9W8rsBiUKwZv1ToLyVhLrJe42pvHYBXicp4E8qec5E4m6SX11KuXERFcV48"
   "Mhiie2NyaxdtNtNzQ5XZ5hjBkxRujqejpF4SNHvdAGKRBbvhkiPLA25FD3xoCbrN26z72";
constexpr std::string_view leap_signature_packed =
   "0220d9132bbdb219e4e2d99af9c507e3597f86b615814f36672d501034861792bbcf21a46d1a2eb12bace4a29100b942f987494f3aefc8efb2"
   "d5af4d4d8de3e0871525aa14905af60ca17a1bb80e0cf9c3b46908a0f14f72567a2f140c3a3bd2ef074c010000006d737b226f726967696e22"
   "3a2268747470733a2f2f6b656f73642e696e76616c6964222c2274797065223a22776562617574686e2e676574222c226368616c6c656e6765"
   "223a226f69567235794848304a4336453962446675347142735a6a527a70416c5131505a50436e5974766850556b3d227d";
constexpr std::string_view leap_public_key = "PUB_WA_WdCPfafVNxVMiW5ybdNs83oWjenQXvSt1F49fg9mv7qrCiRwHj5b38U3ponCFWxQTkDsMC";

std::string base64url(std::span<const uint8_t> bytes) {
   static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
   std::string out;
   uint32_t group = 0;
   int bits = 0;
   for (uint8_t b : bytes) {
      group = group << 8 | b;
      bits += 8;
      while (bits >= 6) {
         out.push_back(digits[(group >> (bits - 6)) & 63]);
         bits -= 6;
      }
   }
   if (bits > 0)
      out.push_back(digits[(group << (6 - bits)) & 63]);
   return out;
}

/// What fc's test makes: an R1 key's signature over sha256(auth_data ‖ sha256(json)).
struct webauthn_maker {
   private_key key = private_key::from_string("PVT_R1_iyQmnyPEGvFd8uffnk152WC2WryBjgTrg22fXQryuGL9mU6qW").value();
   checksum256 digest = sha256(std::string_view("sup"));

   std::vector<uint8_t> auth_data(std::string_view rpid, uint8_t flags = 0) const {
      std::vector<uint8_t> a(37, 0);
      const auto h = sha256(rpid);
      std::memcpy(a.data(), h.data.data(), 32);
      a[32] = flags;
      return a;
   }
   std::string json(std::string_view origin, std::string_view type = "webauthn.get") const {
      return fmt::format(R"({{"origin":"{}","type":"{}","challenge":"{}"}})", origin, type, base64url(digest.data));
   }
   signature sign(std::vector<uint8_t> auth, std::string client_json) const {
      const auto client_hash = sha256(client_json);
      const auto signed_digest = sha256({auth, client_hash.data});
      signature::webauthn w;
      w.data = key.sign(signed_digest).compact();
      w.auth_data = std::move(auth);
      w.client_json = std::move(client_json);
      return signature(std::move(w));
   }
   public_key expected(uint8_t presence, std::string rpid) const {
      return public_key(public_key::webauthn{key.get_public_key().point(), presence, std::move(rpid)});
   }
};

void check_refused(const signature& s, const checksum256& d, std::string_view why) {
   auto k = recover_key(s, d);
   REQUIRE_FALSE(k);
   INFO(k.error());
   CHECK(k.error().find(why) != std::string::npos);
}

} // namespace

TEST_CASE("webauthn: Leap's vector recovers Leap's key", "[crypto]") {
   auto sig = signature::from_string(leap_signature);
   REQUIRE(sig);
   CHECK(sig->type() == signature::sig_type::webauthn);
   CHECK(test::packed_hex(*sig) == leap_signature_packed);
   auto digest = checksum256::from_string(leap_digest);
   REQUIRE(digest);
   auto key = recover_key(*sig, *digest);
   INFO((key ? "" : key.error()));
   REQUIRE(key);
   CHECK(key->to_string() == leap_public_key);
   const auto& wa = std::get<public_key::webauthn>(key->storage);
   CHECK(wa.rpid == "keosd.invalid");
   CHECK(wa.user_presence == 1); // its auth_data flags say "user present"

   // Any other digest is another challenge.
   auto other = *digest;
   other.data[0] ^= 1;
   check_refused(*sig, other, "challenge is not the digest");
}

TEST_CASE("webauthn: recovery follows fc's rules", "[crypto]") {
   const webauthn_maker m;
   const std::string rpid = "fctesting.invalid";

   SECTION("good, with a port, with an empty port") {
      for (const std::string& origin : {"https://" + rpid, "https://" + rpid + ":123456", "https://" + rpid + ":"}) {
         INFO(origin);
         auto k = recover_key(m.sign(m.auth_data(rpid), m.json(origin)), m.digest);
         INFO((k ? "" : k.error()));
         REQUIRE(k);
         CHECK(*k == m.expected(0, rpid));
      }
   }
   SECTION("user presence and verification flags") {
      CHECK(*recover_key(m.sign(m.auth_data(rpid, 0x01), m.json("https://" + rpid)), m.digest) == m.expected(1, rpid));
      CHECK(*recover_key(m.sign(m.auth_data(rpid, 0x04), m.json("https://" + rpid)), m.digest) == m.expected(2, rpid));
      CHECK(*recover_key(m.sign(m.auth_data(rpid, 0x05), m.json("https://" + rpid)), m.digest) == m.expected(2, rpid));
   }
   SECTION("the rpid comes from the origin: another origin recovers another key, or none") {
      const std::string mallory = "mallory.invalid";
      auto k = recover_key(m.sign(m.auth_data(mallory), m.json("https://" + mallory)), m.digest);
      REQUIRE(k);
      CHECK(*k != m.expected(0, rpid));
      check_refused(m.sign(m.auth_data(rpid), m.json("https://" + mallory)), m.digest, "rpid");
   }
   SECTION("not https, no scheme, an empty origin") {
      for (const std::string& origin : {"http://" + rpid, rpid, std::string()})
         check_refused(m.sign(m.auth_data(rpid), m.json(origin)), m.digest, "https://");
   }
   SECTION("a challenge that is not the digest, or not base64url") {
      std::string junk = m.json("https://" + rpid);
      junk.replace(junk.find(base64url(m.digest.data)), 43, "blahBLAH");
      check_refused(m.sign(m.auth_data(rpid), junk), m.digest, "not a 32-byte digest");
      auto other = m.digest;
      other.data[31] ^= 1;
      check_refused(m.sign(m.auth_data(rpid), m.json("https://" + rpid)), other, "challenge is not the digest");
      std::string bad = m.json("https://" + rpid);
      bad.replace(bad.find(base64url(m.digest.data)), 1, "*");
      check_refused(m.sign(m.auth_data(rpid), bad), m.digest, "non-base64url character");
   }
   SECTION("the type must be webauthn.get") {
      check_refused(m.sign(m.auth_data(rpid), m.json("https://" + rpid, "webauthn.create")), m.digest, "webauthn.get");
   }
   SECTION("client data that is not one JSON object with string members") {
      for (const std::string& j : {std::string("[1]"), std::string("{\"type\":1}"), m.json("https://" + rpid) + "x",
                                  std::string("{\"type\":\"webauthn.get\""), std::string()})
         check_refused(m.sign(m.auth_data(rpid), j), m.digest, "not the JSON object expected");
   }
   SECTION("other members, nested, are skipped whatever they hold") {
      std::string j = m.json("https://" + rpid);
      j.insert(1, R"("extra":{"type":"no","a":[1,{"challenge":"x"},null,true,2.5]},"n":-3,)");
      auto k = recover_key(m.sign(m.auth_data(rpid), j), m.digest);
      INFO((k ? "" : k.error()));
      REQUIRE(k);
      CHECK(*k == m.expected(0, rpid));
   }
   SECTION("auth_data shorter than 37 bytes") {
      auto a = m.auth_data(rpid);
      a.resize(36);
      check_refused(m.sign(a, m.json("https://" + rpid)), m.digest, "fewer than 37");
   }
   SECTION("a header below 31 (an R1 header without the compressed flag)") {
      auto s = m.sign(m.auth_data(rpid), m.json("https://" + rpid));
      auto& w = std::get<signature::webauthn>(s.storage);
      w.data[0] = static_cast<uint8_t>(w.data[0] - 4);
      check_refused(s, m.digest, "header byte");
   }
   SECTION("a high S is not refused (fc checks no canonical form for WebAuthn)") {
      auto s = m.sign(m.auth_data(rpid), m.json("https://" + rpid));
      auto& w = std::get<signature::webauthn>(s.storage);
      const auto n = test::unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
      int borrow = 0;
      for (int i = 31; i >= 0; --i) {
         const int d = int(n[i]) - int(w.data[33 + i]) - borrow;
         borrow = d < 0;
         w.data[33 + i] = static_cast<uint8_t>(d + (borrow ? 256 : 0));
      }
      w.data[0] = static_cast<uint8_t>(31 + ((w.data[0] - 31) ^ 1)); // n - s recovers with the other parity
      auto k = recover_key(s, m.digest);
      INFO((k ? "" : k.error()));
      REQUIRE(k);
      CHECK(*k == m.expected(0, rpid));
   }
}

TEST_CASE("webauthn: base64url decodes as fc's does", "[crypto]") {
   auto dec = [](std::string_view s) {
      auto r = base64url_decode(s);
      REQUIRE(r);
      return *r;
   };
   CHECK(dec("") == std::vector<uint8_t>{});
   CHECK(dec("TWFu") == std::vector<uint8_t>{'M', 'a', 'n'});
   CHECK(dec("TWE") == std::vector<uint8_t>{'M', 'a'});
   CHECK(dec("TQ") == std::vector<uint8_t>{'M'});
   CHECK(dec("T") == std::vector<uint8_t>{});
   CHECK(dec("TWE=ignored*") == std::vector<uint8_t>{'M', 'a'});
   CHECK(dec("-_-_") == std::vector<uint8_t>{0xfb, 0xff, 0xbf});
   CHECK_FALSE(base64url_decode("TW+u"));
   CHECK_FALSE(base64url_decode("TW u"));
}
