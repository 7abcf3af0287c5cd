// msgcraft key bls: Spring's key triples, and sign/verify/aggregate checked against core_bls.
#include "run_msgcraft.hpp"

#include "codec/hex.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using test::run_msgcraft;

namespace {

struct spring_key {
   std::string pvt, pub, pop;
};

/// Spring's key triples (tests/unit/crypto/bls/data/spring_bls_keys.txt).
std::vector<spring_key> spring_keys() {
   std::ifstream f(BLS_SPRING_KEYS);
   REQUIRE(f.good());
   std::vector<spring_key> out;
   for (std::string line; std::getline(f, line);) {
      if (line.empty() || line[0] == '#')
         continue;
      std::istringstream s(line);
      spring_key k;
      s >> k.pvt >> k.pub >> k.pop;
      out.push_back(k);
   }
   REQUIRE(out.size() >= 3);
   return out;
}

const std::string digest = "1097cf48a15ba1c618237d3d79f3c684c031a9844c27e6b95c6d27d8a5f401a1";

std::string one_line(const test::msgcraft_result& r) {
   REQUIRE(r.lines().size() == 1);
   return r.lines()[0];
}

} // namespace

TEST_CASE("msgcraft key bls new: spring-util's three lines, and they belong together", "[msgcraft]") {
   const auto r = run_msgcraft({"key", "bls", "new"});
   REQUIRE(r.code == 0);
   const auto lines = r.lines();
   REQUIRE(lines.size() == 3);
   REQUIRE(lines[0].starts_with("Private key: PVT_BLS_"));
   REQUIRE(lines[1].starts_with("Public key: PUB_BLS_"));
   REQUIRE(lines[2].starts_with("Proof of Possession: SIG_BLS_"));
   const std::string pvt = lines[0].substr(13), pub = lines[1].substr(12), pop = lines[2].substr(21);
   CHECK(one_line(run_msgcraft({"key", "bls", "public", pvt})) == pub);
   CHECK(one_line(run_msgcraft({"key", "bls", "pop", pvt})) == pop);
   CHECK(core::bls::verify_pop(*core::bls::public_key::parse(pub), *core::bls::signature::parse(pop)));
   CHECK(run_msgcraft({"key", "bls", "new"}).lines()[0] != lines[0]);
   const auto j = run_msgcraft({"key", "bls", "new", "--json"});
   REQUIRE(j.code == 0);
   CHECK(j.out.starts_with("{\"private_key\":\"PVT_BLS_"));
}

TEST_CASE("msgcraft key bls public/pop: Spring's keys, from the argument or stdin", "[msgcraft]") {
   for (const auto& k : spring_keys()) {
      INFO(k.pvt);
      CHECK(one_line(run_msgcraft({"key", "bls", "public", k.pvt})) == k.pub);
      CHECK(one_line(run_msgcraft({"key", "bls", "pop", k.pvt})) == k.pop);
      CHECK(one_line(run_msgcraft({"key", "bls", "public", "-"}, k.pvt + "\n")) == k.pub);
      CHECK(one_line(run_msgcraft({"key", "bls", "pop", "-"}, k.pvt)) == k.pop);
   }
   CHECK(run_msgcraft({"key", "bls", "public", spring_keys()[0].pvt, "--json"}).out ==
         "{\"public_key\":\"" + spring_keys()[0].pub + "\"}\n");
}

TEST_CASE("msgcraft key bls sign and verify agree with core_bls", "[msgcraft]") {
   const auto k = spring_keys()[0];
   const auto sk = *core::bls::private_key::parse(k.pvt);
   const auto signed_ = run_msgcraft({"key", "bls", "sign", "--key", k.pvt, "--message", digest});
   REQUIRE(signed_.code == 0);
   const std::string sig = one_line(signed_);
   CHECK(sig == sk.sign(*core::from_hex(digest)).to_string());
   CHECK(one_line(run_msgcraft({"key", "bls", "sign", "--key", "-", "--message", digest}, k.pvt)) == sig);

   const auto ok = run_msgcraft({"key", "bls", "verify", "--pub", k.pub, "--sig", sig, "--message", digest});
   CHECK(ok.code == 0);
   CHECK(ok.out == "valid\n");
   CHECK(run_msgcraft({"key", "bls", "verify", "--pub", "-", "--sig", sig, "--message", digest}, k.pub).code == 0);
   CHECK(run_msgcraft({"key", "bls", "verify", "--pub", k.pub, "--sig", "-", "--message", digest}, sig).code == 0);
   const auto wrong = run_msgcraft({"key", "bls", "verify", "--pub", k.pub, "--sig", sig, "--message", digest + "00"});
   CHECK(wrong.code == 1);
   CHECK(wrong.out == "invalid: the signature does not verify\n");
   const auto other = run_msgcraft({"key", "bls", "verify", "--pub", spring_keys()[1].pub, "--sig", sig, "--message", digest});
   CHECK(other.code == 1);
   // The empty message is a message too.
   const std::string empty_sig = one_line(run_msgcraft({"key", "bls", "sign", "--key", k.pvt, "--message", ""}));
   CHECK(run_msgcraft({"key", "bls", "verify", "--pub", k.pub, "--sig", empty_sig, "--message", ""}).code == 0);
   CHECK(run_msgcraft({"key", "bls", "verify", "--pub", k.pub, "--sig", sig, "--message", digest, "--json"}).out ==
         "{\"valid\":true}\n");
}

TEST_CASE("msgcraft key bls aggregate: signatures and keys, and the aggregate verifies", "[msgcraft]") {
   const auto keys = spring_keys();
   std::vector<std::string> sigs, pubs;
   core::bls::aggregate_signature expect;
   for (std::size_t i = 0; i < 3; ++i) {
      sigs.push_back(one_line(run_msgcraft({"key", "bls", "sign", "--key", keys[i].pvt, "--message", digest})));
      pubs.push_back(keys[i].pub);
      expect.add(*core::bls::signature::parse(sigs.back()));
   }
   const auto agg = run_msgcraft({"key", "bls", "aggregate", sigs[0], sigs[1], sigs[2]});
   REQUIRE(agg.code == 0);
   const std::string agg_sig = one_line(agg);
   CHECK(agg_sig == expect.to_signature().to_string());
   CHECK(one_line(run_msgcraft({"key", "bls", "aggregate", "-"}, sigs[0] + "\n" + sigs[1] + " " + sigs[2] + "\n")) == agg_sig);
   CHECK(one_line(run_msgcraft({"key", "bls", "aggregate", sigs[0], "-"}, sigs[1] + "\n" + sigs[2])) == agg_sig);
   CHECK(one_line(run_msgcraft({"key", "bls", "aggregate", sigs[1]})) == sigs[1]);
   const std::string agg_pub = one_line(run_msgcraft({"key", "bls", "aggregate", pubs[0], pubs[1], pubs[2]}));
   REQUIRE(agg_pub.starts_with("PUB_BLS_"));
   CHECK(run_msgcraft({"key", "bls", "verify", "--pub", agg_pub, "--sig", agg_sig, "--message", digest}).code == 0);
   CHECK(run_msgcraft({"key", "bls", "verify", "--pub", pubs[0], "--sig", agg_sig, "--message", digest}).code == 1);
   const auto mixed = run_msgcraft({"key", "bls", "aggregate", sigs[0], pubs[1]});
   CHECK(mixed.code == 1);
   CHECK(mixed.err == "msgcraft: argument 2: BLS signature: missing PUB_BLS_, SIG_BLS_ or PVT_BLS_ prefix\n");
}

TEST_CASE("msgcraft key bls: bad input is one line and exit 1, bad usage exit 2", "[msgcraft]") {
   const auto k = spring_keys()[0];
   std::string bad_key = k.pvt;
   bad_key[10] = bad_key[10] == 'A' ? 'B' : 'A';
   const auto r = run_msgcraft({"key", "bls", "public", bad_key});
   CHECK(r.code == 1);
   CHECK(r.err == "msgcraft: BLS private key: checksum mismatch\n");
   CHECK(r.err.find(bad_key) == std::string::npos); // never echoes a private key
   CHECK(run_msgcraft({"key", "bls", "sign", "--key", k.pvt, "--message", "abc"}).code == 1);
   CHECK(run_msgcraft({"key", "bls", "sign", "--key", k.pvt, "--message", "zz"}).err ==
         "msgcraft: --message: not hex (an even number of hex digits)\n");
   std::string bad_sig = k.pop;
   bad_sig[20] = bad_sig[20] == 'A' ? 'B' : 'A';
   const auto v = run_msgcraft({"key", "bls", "verify", "--pub", k.pub, "--sig", bad_sig, "--message", digest});
   CHECK(v.code == 1);
   CHECK(v.out.empty());
   CHECK(v.err == "msgcraft: --sig: BLS signature: checksum mismatch\n");
   CHECK(run_msgcraft({"key", "bls", "public", "-"}, "").code == 1);
   CHECK(run_msgcraft({"key", "bls", "verify", "--pub", "-", "--sig", "-", "--message", digest}).code == 2);
   CHECK(run_msgcraft({"key", "bls", "sign", "--key", k.pvt}).code == 2);
   CHECK(run_msgcraft({"key", "bls"}).code == 2);
   CHECK(run_msgcraft({"key", "bls", "aggregate"}).code == 2);
   CHECK(run_msgcraft({"key", "bls", "aggregate", "-", "-"}, k.pop).code == 2);
}
