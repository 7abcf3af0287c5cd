// msgcraft key against the k1_keypair / k1_signature / r1 vectors.
#include "run_msgcraft.hpp"

#include "codec/hex.hpp"
#include "crypto/signature.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

using test::run_msgcraft;

namespace {
std::string field(const test::golden_vector& g, const char* name) { return g.fields()[name].GetString(); }

rapidjson::Document parse(const std::string& s) {
   rapidjson::Document d;
   d.Parse(s.c_str());
   REQUIRE_FALSE(d.HasParseError());
   return d;
}

/// The same signature with s replaced by n - s (high S): valid ECDSA, but not EOS-canonical.
std::string high_s_twin(const std::string& compact65_hex) {
   static const uint8_t n[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                 0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
   core::signature::k1 sig;
   REQUIRE(core::from_hex(compact65_hex, sig.data));
   int borrow = 0;
   for (int i = 31; i >= 0; --i) {
      int d = n[i] - sig.data[33 + i] - borrow;
      borrow = d < 0;
      sig.data[33 + i] = static_cast<uint8_t>(d + (borrow ? 256 : 0));
   }
   sig.data[0] = static_cast<uint8_t>(sig.data[0] == 31 ? 32 : 31); // recovery id flips with s
   return core::signature(sig).to_string();
}
} // namespace

TEST_CASE("msgcraft key sign: identical to fc for every k1_signature vector", "[msgcraft]") {
   const auto vectors = test::golden_of_type("k1_signature");
   REQUIRE(vectors.size() >= 20);
   for (const auto& g : vectors) {
      INFO(g.name);
      auto r = run_msgcraft({"key", "sign", "--key", field(g, "private_key_wif"), "--digest", field(g, "digest")});
      INFO(r.err);
      REQUIRE(r.code == 0);
      CHECK(r.out == field(g, "signature") + "\n");
   }
}

TEST_CASE("msgcraft key recover: the vector's key for every k1_signature vector", "[msgcraft]") {
   for (const auto& g : test::golden_of_type("k1_signature")) {
      INFO(g.name);
      auto r = run_msgcraft({"key", "recover", "--sig", field(g, "signature"), "--digest", field(g, "digest")});
      INFO(r.err);
      REQUIRE(r.code == 0);
      CHECK(r.out == field(g, "recovered_public_key") + "\n");
      if (g.fields().HasMember("recovered_public_key_k1")) {
         auto j = run_msgcraft({"key", "recover", "--json", "--sig", field(g, "signature"), "--digest", field(g, "digest")});
         CHECK(std::string(parse(j.out)["public_key_k1"].GetString()) == field(g, "recovered_public_key_k1"));
      }
   }
   for (const auto& g : test::golden_of_type("r1_signature")) {
      INFO(g.name);
      auto r = run_msgcraft({"key", "recover", "--sig", field(g, "signature"), "--digest", field(g, "digest")});
      CHECK(r.code == 0);
      CHECK(r.out == field(g, "recovered_public_key") + "\n");
   }
}

TEST_CASE("msgcraft key recover: a non-canonical signature is an error", "[msgcraft]") {
   const auto& g = test::golden_named("sig_dev_key_d0");
   const std::string bad = high_s_twin(field(g, "compact65_hex"));
   REQUIRE(bad != field(g, "signature"));
   auto r = run_msgcraft({"key", "recover", "--sig", bad, "--digest", field(g, "digest")});
   CHECK(r.code == 1);
   REQUIRE(r.err_lines().size() == 1);
   CHECK(r.err.find("canonical") != std::string::npos);
   CHECK(r.out.empty());
}

TEST_CASE("msgcraft key convert: every form of each k1_keypair vector", "[msgcraft]") {
   for (const auto& g : test::golden_of_type("k1_keypair")) {
      INFO(g.name);
      const std::string wif = field(g, "wif"), pvt = field(g, "pvt_k1");
      const std::string legacy = field(g, "public_key_legacy"), pub_k1 = field(g, "public_key_k1");
      for (const auto& in : {wif, pvt}) {
         auto r = run_msgcraft({"key", "convert", "--json", in});
         INFO(r.err);
         REQUIRE(r.code == 0);
         auto d = parse(r.out);
         CHECK(std::string(d["private_key"].GetString()) == wif);
         CHECK(std::string(d["private_key_k1"].GetString()) == pvt);
         CHECK(std::string(d["public_key"].GetString()) == legacy);
         CHECK(std::string(d["public_key_k1"].GetString()) == pub_k1);

         auto text = run_msgcraft({"key", "convert", in});
         REQUIRE(text.code == 0);
         CHECK(text.lines() == std::vector<std::string>{"private_key:    " + wif, "private_key_k1: " + pvt,
                                                        "public_key:     " + legacy, "public_key_k1:  " + pub_k1});
      }
      for (const auto& in : {legacy, pub_k1}) {
         auto r = run_msgcraft({"key", "convert", "--json", in});
         REQUIRE(r.code == 0);
         auto d = parse(r.out);
         CHECK(std::string(d["public_key"].GetString()) == legacy);
         CHECK(std::string(d["public_key_k1"].GetString()) == pub_k1);
         CHECK_FALSE(d.HasMember("private_key"));
      }
      auto pub = run_msgcraft({"key", "public", wif});
      CHECK(pub.code == 0);
      CHECK(pub.out == legacy + "\n");
      auto from_stdin = run_msgcraft({"key", "public", "-"}, pvt + "\n");
      CHECK(from_stdin.out == legacy + "\n");
   }
}

TEST_CASE("msgcraft key convert: R1 keys are re-encoded", "[msgcraft]") {
   const auto& g = test::golden_named("key_r1_reference_test");
   auto priv = run_msgcraft({"key", "convert", "--json", field(g, "pvt_r1")});
   REQUIRE(priv.code == 0);
   auto d = parse(priv.out);
   CHECK(std::string(d["private_key"].GetString()) == field(g, "pvt_r1"));
   CHECK(std::string(d["public_key"].GetString()) == field(g, "public_key"));
   auto pub = run_msgcraft({"key", "convert", field(g, "public_key")});
   CHECK(pub.code == 0);
   CHECK(pub.out == "public_key: " + field(g, "public_key") + "\n");
}

TEST_CASE("msgcraft key new: a fresh K1 pair whose forms agree", "[msgcraft]") {
   auto r = run_msgcraft({"key", "new"});
   REQUIRE(r.code == 0);
   auto lines = r.lines();
   REQUIRE(lines.size() == 2);
   REQUIRE(lines[0].rfind("Private key: 5", 0) == 0);
   REQUIRE(lines[1].rfind("Public key: EOS", 0) == 0);
   auto pub = run_msgcraft({"key", "public", lines[0].substr(13)});
   CHECK(pub.out == lines[1].substr(12) + "\n");

   auto j = run_msgcraft({"key", "new", "--json"});
   REQUIRE(j.code == 0);
   auto d = parse(j.out);
   auto conv = run_msgcraft({"key", "convert", "--json", d["private_key_k1"].GetString()});
   CHECK(parse(conv.out) == d);
   CHECK(run_msgcraft({"key", "new", "--json"}).out != j.out);
}

TEST_CASE("msgcraft key: bad input is exit 1 with one line that does not echo the key", "[msgcraft]") {
   const auto& g = test::golden_named("key_dev_key");
   std::string wif = field(g, "wif");
   wif.back() = wif.back() == 'X' ? 'Y' : 'X'; // breaks the checksum
   for (const auto& args : std::vector<std::vector<std::string>>{
           {"key", "public", wif},
           {"key", "convert", wif},
           {"key", "sign", "--key", wif, "--digest", std::string(64, 'a')}}) {
      auto r = run_msgcraft(args);
      CHECK(r.code == 1);
      REQUIRE(r.err_lines().size() == 1);
      CHECK(r.err.rfind("msgcraft: ", 0) == 0);
      CHECK(r.err.find(wif) == std::string::npos);
   }
   std::string pub = field(g, "public_key_legacy");
   pub.back() = pub.back() == 'X' ? 'Y' : 'X';
   auto r = run_msgcraft({"key", "convert", pub});
   CHECK(r.code == 1);
   CHECK(r.err.find("checksum") != std::string::npos);

   auto bad_digest = run_msgcraft({"key", "sign", "--key", field(g, "wif"), "--digest", "abcd"});
   CHECK(bad_digest.code == 1);
   CHECK(bad_digest.err_lines().size() == 1);

   auto empty = run_msgcraft({"key", "public", "-"}, "\n");
   CHECK(empty.code == 1);
   CHECK(empty.err == "msgcraft: stdin: no key or signature given\n");

   CHECK(run_msgcraft({"key"}).code == 2);
   CHECK(run_msgcraft({"key", "sign", "--key", field(g, "wif")}).code == 2);
}

TEST_CASE("msgcraft key: a public key or a signature where a private key belongs is named as such", "[msgcraft]") {
   const auto& g = test::golden_named("key_dev_key");
   for (const std::string& pub : {field(g, "public_key_legacy"), std::string("PUB_K1_6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5BoDq63")}) {
      for (const auto& args : std::vector<std::vector<std::string>>{
              {"key", "public", pub}, {"key", "sign", "--key", pub, "--digest", std::string(64, 'a')}}) {
         auto r = run_msgcraft(args);
         CHECK(r.code == 1);
         CHECK(r.err.starts_with("msgcraft: this is a public key; a private key"));
         CHECK(r.err.find("base58") == std::string::npos);
      }
   }
   const auto& s = test::golden_named("sig_dev_key_d0");
   auto r = run_msgcraft({"key", "public", s.fields()["signature"].GetString()});
   CHECK(r.code == 1);
   CHECK(r.err.starts_with("msgcraft: this is a signature"));
}
