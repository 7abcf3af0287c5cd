// bls_oracle_peer: core_bls's side of the oracle test against @noble/curves (oracle.cjs drives it).
//
//   bls_oracle_peer make <keys> <seed>   random keys and messages, signed and aggregated here;
//                                        one JSON object on stdout for noble to check
//   bls_oracle_peer check                reads such an object made by noble on stdin and checks
//                                        every field here; one line per failure on stderr
//
// Exit 0 on success, 1 when a check fails or the input is malformed, 2 on usage error.
//
// The object (all bytes as lowercase hex, points in Antelope's little-endian affine form):
//   keys[]         {sk: 32 bytes LE, pk: 96 bytes, pop: 192 bytes}
//   messages[]     one per key; sigs[i] is keys[i]'s signature of messages[i]
//   common, common_sigs[]   one message every key signed
//   agg_pk         the sum of all pks; agg_common_sig the sum of common_sigs; agg_sig the sum of sigs
//   qc             {digest, strong[], weak[] (key indices), sig}: a quorum certificate's votes, the
//                  strong ones over digest and the weak ones over digest ‖ "WEAK"
//   pairing        {a, b (scalars, 32 bytes LE), e: 12 Fp coefficients of pairing(aG1, bG2), big-endian
//                  hex, in the order c0.c0.c0, c0.c0.c1, c0.c1.c0, …, c1.c2.c1}
#include "codec/hex.hpp"
#include "crypto/bls/aggregate.hpp"
#include "crypto/bls/detail/pairing.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

using namespace core::bls;
using bytes = std::vector<uint8_t>;

namespace {

const std::string weak_suffix = "WEAK";

bytes weak_message(const bytes& digest) {
   bytes m = digest;
   m.insert(m.end(), weak_suffix.begin(), weak_suffix.end());
   return m;
}

// --- make ---

struct writer {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w{sb};
   void key(const char* k) { w.Key(k); }
   void hex(std::span<const uint8_t> b) {
      const std::string h = core::to_hex(b);
      w.String(h.c_str(), rapidjson::SizeType(h.size()));
   }
};

bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
   bytes b(n);
   for (auto& x : b)
      x = uint8_t(rng());
   return b;
}

std::array<uint8_t, 32> pairing_coefficients_scalar(std::mt19937_64& rng) {
   std::array<uint8_t, 32> s{};
   for (std::size_t i = 0; i < 31; ++i) // below 2^248 < r
      s[i] = uint8_t(rng());
   return s;
}

void write_pairing(writer& out, std::mt19937_64& rng) {
   using namespace core::bls::detail;
   const auto a = pairing_coefficients_scalar(rng), b = pairing_coefficients_scalar(rng);
   std::array<uint64_t, 4> ka{}, kb{};
   for (std::size_t i = 0; i < 32; ++i) {
      ka[i / 8] |= uint64_t(a[i]) << (8 * (i % 8));
      kb[i / 8] |= uint64_t(b[i]) << (8 * (i % 8));
   }
   const fp12 e = pairing(to_affine(mul_vartime(to_jacobian(g1_generator()), ka)),
                          to_affine(mul_vartime(to_jacobian(g2_generator()), kb)));
   out.key("pairing");
   out.w.StartObject();
   out.key("a");
   out.hex(a);
   out.key("b");
   out.hex(b);
   out.key("e");
   out.w.StartArray();
   for (const fp6* half : {&e.c0, &e.c1})
      for (const fp2* c : {&half->c0, &half->c1, &half->c2})
         for (const fp* f : {&c->c0, &c->c1}) {
            std::array<uint8_t, 48> be;
            f->to_bytes_be(be);
            out.hex(be);
         }
   out.w.EndArray();
   out.w.EndObject();
}

int make(std::size_t n, uint64_t seed) {
   std::mt19937_64 rng(seed);
   std::vector<private_key> keys;
   for (std::size_t i = 0; i < n; ++i)
      keys.push_back(*private_key::from_seed(random_bytes(rng, 32)));
   writer out;
   out.w.StartObject();
   out.key("keys");
   out.w.StartArray();
   aggregate_public_key agg_pk;
   for (const auto& k : keys) {
      out.w.StartObject();
      out.key("sk");
      out.hex(k.bytes());
      out.key("pk");
      out.hex(k.get_public_key().bytes());
      out.key("pop");
      out.hex(k.proof_of_possession().bytes());
      out.w.EndObject();
      agg_pk.add(k.get_public_key());
   }
   out.w.EndArray();

   std::vector<bytes> messages;
   for (std::size_t i = 0; i < n; ++i)
      messages.push_back(random_bytes(rng, i % 3 == 0 ? 32 : rng() % 100));
   aggregate_signature agg_sig, agg_common;
   const bytes common = random_bytes(rng, 32);
   out.key("messages");
   out.w.StartArray();
   for (const auto& m : messages)
      out.hex(m);
   out.w.EndArray();
   out.key("sigs");
   out.w.StartArray();
   for (std::size_t i = 0; i < n; ++i) {
      const signature s = keys[i].sign(messages[i]);
      agg_sig.add(s);
      out.hex(s.bytes());
   }
   out.w.EndArray();
   out.key("common");
   out.hex(common);
   out.key("common_sigs");
   out.w.StartArray();
   for (const auto& k : keys) {
      const signature s = k.sign(common);
      agg_common.add(s);
      out.hex(s.bytes());
   }
   out.w.EndArray();
   out.key("agg_pk");
   out.hex(agg_pk.to_public_key().bytes());
   out.key("agg_common_sig");
   out.hex(agg_common.to_signature().bytes());
   out.key("agg_sig");
   out.hex(agg_sig.to_signature().bytes());

   // A certificate: two thirds of the keys vote strong, the rest weak.
   const bytes digest = random_bytes(rng, 32);
   const bytes weak = weak_message(digest);
   aggregate_signature qc_sig;
   out.key("qc");
   out.w.StartObject();
   out.key("digest");
   out.hex(digest);
   std::vector<std::size_t> strong, weak_idx;
   for (std::size_t i = 0; i < n; ++i)
      (3 * i < 2 * n ? strong : weak_idx).push_back(i);
   for (const auto* set : {&strong, &weak_idx}) {
      out.key(set == &strong ? "strong" : "weak");
      out.w.StartArray();
      for (std::size_t i : *set) {
         out.w.Uint64(i);
         qc_sig.add(keys[i].sign(set == &strong ? digest : weak));
      }
      out.w.EndArray();
   }
   out.key("sig");
   out.hex(qc_sig.to_signature().bytes());
   out.w.EndObject();

   write_pairing(out, rng);
   out.w.EndObject();
   std::cout << out.sb.GetString() << '\n';
   return 0;
}

// --- check ---

struct checker {
   int failures = 0;
   void expect(bool ok, const std::string& what) {
      if (!ok) {
         ++failures;
         std::cerr << "core_bls disagrees with noble: " << what << '\n';
      }
   }
};

bytes hex_of(const rapidjson::Value& v) {
   if (!v.IsString())
      return {};
   return core::from_hex(v.GetString()).value_or(bytes{});
}

template <class T>
std::optional<T> decode(const rapidjson::Value& v) {
   auto r = T::from_bytes(hex_of(v));
   if (!r)
      return std::nullopt;
   return *r;
}

int check(std::istream& in) {
   const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
   rapidjson::Document d;
   d.Parse(text.c_str());
   if (d.HasParseError() || !d.IsObject() || !d.HasMember("keys") || !d["keys"].IsArray()) {
      std::cerr << "bls_oracle_peer: malformed input\n";
      return 1;
   }
   checker c;
   std::vector<private_key> keys;
   std::vector<public_key> pks;
   for (const auto& k : d["keys"].GetArray()) {
      auto sk = private_key::from_bytes(hex_of(k["sk"]));
      auto pk = decode<public_key>(k["pk"]);
      auto pop = decode<signature>(k["pop"]);
      c.expect(sk.has_value() && pk && pop, "a key does not decode");
      if (!sk || !pk || !pop)
         return 1;
      c.expect(sk->get_public_key() == *pk, "public key of " + sk->to_string());
      c.expect(sk->proof_of_possession() == *pop, "proof of possession of " + sk->to_string());
      c.expect(verify_pop(*pk, *pop), "noble's proof of possession does not verify");
      keys.push_back(*sk);
      pks.push_back(*pk);
   }
   const auto& msgs = d["messages"].GetArray();
   const auto& sigs = d["sigs"].GetArray();
   const auto& csigs = d["common_sigs"].GetArray();
   c.expect(msgs.Size() == keys.size() && sigs.Size() == keys.size() && csigs.Size() == keys.size(), "array sizes");
   if (c.failures)
      return 1;
   const bytes common = hex_of(d["common"]);
   aggregate_signature agg_sig, agg_common;
   std::vector<aggregate_public_key> singles;
   std::vector<bytes> messages;
   for (std::size_t i = 0; i < keys.size(); ++i) {
      messages.push_back(hex_of(msgs[rapidjson::SizeType(i)]));
      auto s = decode<signature>(sigs[rapidjson::SizeType(i)]);
      auto cs = decode<signature>(csigs[rapidjson::SizeType(i)]);
      c.expect(s && cs, "a signature does not decode");
      if (!s || !cs)
         return 1;
      c.expect(keys[i].sign(messages[i]) == *s, "signature " + std::to_string(i));
      c.expect(verify(pks[i], messages[i], *s), "noble's signature " + std::to_string(i) + " does not verify");
      c.expect(!verify(pks[i], common, *s), "signature " + std::to_string(i) + " verifies another message");
      c.expect(keys[i].sign(common) == *cs, "signature of the common message " + std::to_string(i));
      agg_sig.add(*s);
      agg_common.add(*cs);
      singles.emplace_back(pks[i]);
   }
   const auto agg_pk = aggregate_public_key::of(pks);
   c.expect(agg_pk.to_public_key().bytes() == decode<public_key>(d["agg_pk"]).value_or(public_key{}).bytes(),
            "aggregate public key");
   const auto theirs_common = decode<signature>(d["agg_common_sig"]);
   const auto theirs_agg = decode<signature>(d["agg_sig"]);
   c.expect(theirs_common && agg_common.to_signature() == *theirs_common, "aggregate of the common signatures");
   c.expect(theirs_agg && agg_sig.to_signature() == *theirs_agg, "aggregate of the signatures");
   if (theirs_common)
      c.expect(verify(agg_pk, common, *theirs_common), "noble's aggregate signature does not verify");
   if (theirs_agg) {
      std::vector<std::span<const uint8_t>> spans(messages.begin(), messages.end());
      c.expect(aggregate_verify(singles, spans, *theirs_agg), "noble's aggregate over distinct messages");
      std::swap(spans.front(), spans.back());
      c.expect(keys.size() < 2 || !aggregate_verify(singles, spans, *theirs_agg), "aggregate with swapped messages");
   }

   const auto& qc = d["qc"];
   const bytes digest = hex_of(qc["digest"]);
   const bytes weak = weak_message(digest);
   aggregate_public_key strong_keys, weak_keys;
   for (const auto& i : qc["strong"].GetArray())
      strong_keys.add(pks.at(i.GetUint64()));
   for (const auto& i : qc["weak"].GetArray())
      weak_keys.add(pks.at(i.GetUint64()));
   const auto qc_sig = decode<signature>(qc["sig"]);
   c.expect(qc_sig.has_value(), "certificate signature does not decode");
   if (qc_sig) {
      const aggregate_public_key both[] = {strong_keys, weak_keys};
      const std::span<const uint8_t> both_msgs[] = {digest, weak};
      c.expect(aggregate_verify(both, both_msgs, *qc_sig), "noble's strong+weak certificate does not verify");
      const std::span<const uint8_t> swapped[] = {weak, digest};
      c.expect(!aggregate_verify(both, swapped, *qc_sig), "certificate verifies with strong and weak swapped");
   }
   return c.failures ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
   const std::vector<std::string> args(argv + 1, argv + argc);
   if (args.size() == 3 && args[0] == "make")
      return make(std::stoul(args[1]), std::stoull(args[2], nullptr, 16));
   if (args.size() == 1 && args[0] == "check")
      return check(std::cin);
   std::fprintf(stderr, "usage: bls_oracle_peer make <keys> <seed-hex> | bls_oracle_peer check < json\n");
   return 2;
}
