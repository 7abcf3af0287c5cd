#include "crypto/signature.hpp"
#include "crypto_test_util.hpp"

#include "codec/limits.hpp"
#include "crypto/base58.hpp"

using namespace core;

namespace {
signature parse(const std::string& s) {
   auto sig = signature::from_string(s);
   INFO(s << ": " << (sig ? "" : sig.error()));
   REQUIRE(sig);
   return *sig;
}

void check_rejected(const std::string& s, const std::string& why) {
   auto sig = signature::from_string(s);
   INFO(s);
   REQUIRE_FALSE(sig);
   CHECK(sig.error().find(why) != std::string::npos);
}

signature::webauthn sample_wa() {
   signature::webauthn w;
   for (std::size_t i = 0; i < 65; ++i)
      w.data[i] = static_cast<uint8_t>(i + 1);
   w.data[0] = 33;
   w.auth_data.assign(37, 0x5a);
   w.client_json = R"({"type":"webauthn.get","challenge":"abc","origin":"https://keosd.invalid"})";
   return w;
}
} // namespace

TEST_CASE("signature: every k1_signature string, compact and packed form agree", "[crypto]") {
   const auto vectors = test::golden_of_type("k1_signature");
   REQUIRE(vectors.size() >= 22);
   for (const auto& v : vectors) {
      INFO(v.name);
      const signature sig = parse(test::field(v, "signature"));
      CHECK(sig.type() == signature::sig_type::k1);
      CHECK(to_hex(sig.compact()) == test::field(v, "compact65_hex"));
      if (test::has_field(v, "header_byte")) {
         CHECK(std::to_string(sig.compact()[0]) == test::field(v, "header_byte"));
         CHECK(to_hex(std::span<const uint8_t>(sig.compact()).subspan(1, 32)) == test::field(v, "r_hex"));
         CHECK(to_hex(std::span<const uint8_t>(sig.compact()).subspan(33, 32)) == test::field(v, "s_hex"));
      }
      CHECK(sig.to_string() == test::field(v, "signature"));
      CHECK(test::packed_hex(sig) == v.hex());
      CHECK(test::unpack_all<signature>(test::unhex(v.hex())) == sig);
      CHECK(sig.is_canonical());
      CHECK_FALSE(sig.empty());
   }
}

TEST_CASE("signature: the default signature is all-zero K1", "[crypto]") {
   const auto& v = test::golden_named("empty_signature");
   const signature sig;
   CHECK(sig.empty());
   CHECK(test::packed_hex(sig) == v.hex());
   CHECK(sig.to_string() == test::field(v, "signature_string"));
   CHECK(parse(test::field(v, "signature_string")).empty());
   CHECK(min_packed_size<signature>::value == 66);
}

TEST_CASE("signature: R1 sample string and packed bytes round-trip", "[crypto]") {
   const auto& v = test::golden_named("sig_r1_sample");
   const signature sig = parse(test::field(v, "signature"));
   CHECK(sig.type() == signature::sig_type::r1);
   CHECK(sig.to_string() == test::field(v, "signature"));
   CHECK(test::packed_hex(sig) == v.hex());
   CHECK(test::unpack_all<signature>(test::unhex(v.hex())) == sig);
   CHECK(sig.is_canonical()); // low S
}

TEST_CASE("signature: WebAuthn pack, unpack and string round-trip", "[crypto]") {
   const signature sig(sample_wa());
   byte_writer w;
   sig.pack(w);
   const auto& b = w.bytes();
   REQUIRE(b.size() == 1 + 65 + 1 + 37 + 1 + sample_wa().client_json.size());
   CHECK(b[0] == 2);
   CHECK(b[66] == 37);
   CHECK(test::unpack_all<signature>(b) == sig);
   const std::string s = sig.to_string();
   CHECK(s.rfind("SIG_WA_", 0) == 0);
   CHECK(parse(s) == sig);
   check_rejected(test::corrupt_at(s, s.size() - 1), "checksum");
}

TEST_CASE("signature: is_canonical applies fc's K1 rule", "[crypto]") {
   const signature good = parse(test::field(test::golden_named("sig_dev_key_d0"), "signature"));
   REQUIRE(good.is_canonical());
   auto with = [&](std::size_t i, uint8_t value) {
      auto c = std::get<signature::k1>(good.storage);
      c.data[i] = value;
      return signature(c);
   };
   CHECK_FALSE(with(1, 0x80).is_canonical());  // r high bit
   CHECK_FALSE(with(33, 0x80).is_canonical()); // s high bit
   auto padded = std::get<signature::k1>(good.storage);
   padded.data[1] = 0;
   padded.data[2] = 0x7f; // r with a redundant leading zero byte
   CHECK_FALSE(signature(padded).is_canonical());
   padded.data[2] = 0x80; // a leading zero needed for the sign: canonical
   CHECK(signature(padded).is_canonical());
   auto s_padded = std::get<signature::k1>(good.storage);
   s_padded.data[33] = 0;
   s_padded.data[34] = 0x10;
   CHECK_FALSE(signature(s_padded).is_canonical());
}

TEST_CASE("signature: rejects bad checksums, prefixes, lengths and base58", "[crypto]") {
   const std::string k1 = test::field(test::golden_named("sig_seed_bob_d3"), "signature");
   const std::string r1 = test::field(test::golden_named("sig_r1_sample"), "signature");
   check_rejected(test::corrupt_at(k1, k1.size() - 1), "checksum");
   check_rejected(test::corrupt_at(k1, 20), "checksum");
   check_rejected(test::corrupt_at(r1, r1.size() - 3), "checksum");
   check_rejected("SIG_R1_" + k1.substr(7), "checksum"); // suffix is part of the checksum
   check_rejected("SIX_K1_" + k1.substr(7), "prefix");
   check_rejected("PUB_K1_" + k1.substr(7), "prefix");
   check_rejected("SIG_K2_" + k1.substr(7), "signature type");
   check_rejected("SIG_K1_", "no data");
   check_rejected("SIG_" + k1.substr(7), "no key type");
   check_rejected(k1.substr(7), "no '_'");
   check_rejected(k1.substr(0, k1.size() - 2), "");
   std::string bad = k1;
   bad[30] = 'O';
   check_rejected(bad, "invalid base58 character");
   check_rejected("SIG_K1_" + std::string(base58_max_chars + 1, 'z'), "limit");
}

TEST_CASE("signature: unpack rejects unknown variant index, truncation and oversized WebAuthn parts", "[crypto]") {
   const std::vector<uint8_t> full = test::unhex(test::golden_named("sig_dev_key_d0").hex());
   {
      auto in = full;
      in[0] = 7;
      byte_reader r(in);
      signature sig;
      sig.unpack(r);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == decode_errc::unknown_variant);
      CHECK(sig.empty());
   }
   for (std::size_t n = 0; n < full.size(); ++n) {
      byte_reader r(std::span<const uint8_t>(full.data(), n));
      signature sig;
      sig.unpack(r);
      INFO("length " << n);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == decode_errc::truncated);
      CHECK(sig.empty());
   }
   {
      byte_writer w;
      w.write_u8(2);
      w.write(std::vector<uint8_t>(65, 1));
      w.write_varuint32(static_cast<uint32_t>(limits::max_array_elements + 1));
      byte_reader r(w.bytes());
      signature sig;
      sig.unpack(r);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == decode_errc::too_many_elements);
   }
   {
      byte_writer w;
      w.write_u8(2);
      w.write(std::vector<uint8_t>(65, 1));
      w.write_varuint32(0);
      w.write_varuint32(1000); // client_json longer than the input
      byte_reader r(w.bytes());
      signature sig;
      sig.unpack(r);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == decode_errc::count_exceeds_input);
   }
}
