// Golden vectors for every net message: framed bytes → frame_decoder → decode_payload,
// fields compared, re-encoded byte-identically, derived values (token, signature) recomputed.
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "crypto/recover.hpp"
#include "crypto/sha256.hpp"
#include "net/frame.hpp"
#include "net/messages.hpp"

#include "support/golden.hpp"
#include "support/json_compare.hpp"

#include <catch2/catch.hpp>

using namespace core;

namespace {
std::vector<uint8_t> hex_bytes(const std::string& h) { return *from_hex(h); }

/// fc prints go_away reasons and select_ids modes as numbers; the harness added *_name fields.
/// Our JSON prints the name itself, so rewrite the expectation to that form.
void normalise_enum_names(rapidjson::Value& v, rapidjson::Document::AllocatorType& a) {
   if (v.IsObject()) {
      for (const char* key : {"reason", "mode"}) {
         std::string name_key = std::string(key) + "_name";
         if (v.HasMember(key) && v.HasMember(name_key.c_str())) {
            v[key].SetString(v[name_key.c_str()].GetString(), a);
            v.RemoveMember(name_key.c_str());
         }
      }
      v.RemoveMember("reason_str");
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
         normalise_enum_names(it->value, a);
   } else if (v.IsArray()) {
      for (auto& e : v.GetArray())
         normalise_enum_names(e, a);
   }
}

struct message_case {
   const char* type;
   uint32_t index;
};
constexpr message_case cases[] = {
   {"handshake_message", 0},  {"chain_size_message", 1},      {"go_away_message", 2},
   {"time_message", 3},       {"notice_message", 4},          {"request_message", 5},
   {"sync_request_message", 6}, {"signed_block", 7},          {"packed_transaction", 8},
   {"spring_block_nack_message", 10}, {"spring_block_notice_message", 11},
   {"spring_gossip_bp_peers_message", 12}, {"spring_transaction_notice_message", 13},
};
} // namespace

TEST_CASE("net messages: every framed golden vector decodes, compares and re-encodes", "[net]") {
   std::size_t seen = 0;
   for (const auto& c : cases) {
      for (const auto& g : test::golden_of_type(c.type)) {
         if (g.framed_hex().empty())
            continue;
         INFO(g.name);
         ++seen;
         auto framed = hex_bytes(g.framed_hex());
         frame_decoder fd;
         fd.feed(framed);
         auto f = fd.next();
         REQUIRE(f);
         REQUIRE(f->has_value());
         CHECK((*f)->which == c.index);
         CHECK(to_hex((*f)->payload).substr(c.index > 127 ? 4 : 2) == g.hex());
         auto msg = decode_payload((*f)->payload);
         if (!msg)
            FAIL(msg.error().message());
         CHECK(msg->index() == c.index);
         CHECK(to_hex(frame_payload(encode_payload(*msg))) == g.framed_hex());

         std::string js = std::visit([](const auto& m) { return to_json(m); }, *msg);
         rapidjson::Document actual, expected;
         actual.Parse(js.c_str());
         expected.CopyFrom(g.fields(), expected.GetAllocator());
         normalise_enum_names(expected, expected.GetAllocator());
         expected.RemoveMember("bp_peer_info_decoded");
         expected.RemoveMember("bp_peer_digest");
         expected.RemoveMember("chain_id");
         expected.RemoveMember("signer_public_key");
         std::string where;
         CHECK(test::json_subset(expected, actual, where));
         INFO(where);
         CHECK(where.empty());

         // JSON → message → identical bytes.
         net_message back = *msg;
         std::visit(
            [&](auto& m) {
               using T = std::remove_cvref_t<decltype(m)>;
               auto r = from_json<T>(js);
               if (!r)
                  FAIL(r.error().message());
               m = *r;
            },
            back);
         CHECK(to_hex(frame_payload(encode_payload(back))) == g.framed_hex());
      }
   }
   CHECK(seen == 70); // every framed vector in golden.jsonl
}

TEST_CASE("handshake: token and signature derive as nodeos does", "[net]") {
   const auto& g = test::golden_named("handshake_signed");
   auto m = unpack<handshake_message>(hex_bytes(g.hex()));
   REQUIRE(m);
   int64_t t = m->time;
   CHECK(sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&t), 8)) == m->token);
   auto key = recover_key(m->sig, m->token);
   REQUIRE(key);
   CHECK(key->to_string() == g.derived()["recovered_key"].GetString());
   CHECK(key->to_string() == m->key.to_string());
}

TEST_CASE("gossip_bp_peers: bp_peer_info decodes and the signature recovers", "[net]") {
   const auto& g = test::golden_named("spring_gossip_bp_peers");
   auto m = unpack<gossip_bp_peers_message>(hex_bytes(g.hex()));
   REQUIRE(m);
   REQUIRE(m->peers.size() == 1);
   const auto& p = m->peers[0];
   auto info = unpack<bp_peer_info_v1>(std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(p.bp_peer_info.data()), p.bp_peer_info.size()));
   REQUIRE(info);
   CHECK(info->server_endpoint == g.fields()["bp_peer_info_decoded"]["server_endpoint"].GetString());
   CHECK(info->expiration.to_string() == g.fields()["bp_peer_info_decoded"]["expiration"].GetString());
   // digest = sha256(chain_id ‖ pack(version, producer_name, bp_peer_info))
   byte_writer w;
   w.write(checksum256::from_string(g.fields()["chain_id"].GetString())->data);
   pack_to(w, p.version);
   pack_to(w, p.producer_name);
   pack_to(w, p.bp_peer_info);
   auto digest = sha256(w.bytes());
   CHECK(digest.to_string() == g.fields()["bp_peer_digest"].GetString());
   auto key = recover_key(p.sig, digest);
   REQUIRE(key);
   CHECK(key->to_string() == g.fields()["signer_public_key"].GetString());
}

TEST_CASE("vote_message: BLS key and signature have their stated sizes", "[net]") {
   vote_message v;
   v.strong = true;
   v.finalizer_key.data[0] = 0xaa;
   v.sig.data[191] = 0xbb;
   auto payload = encode_payload(v);
   // index 9, block_id 32, bool 1, varuint 96 (1 byte) + 96, varuint 192 (2 bytes) + 192
   CHECK(payload.size() == 1 + 32 + 1 + 1 + 96 + 2 + 192);
   CHECK(payload[34] == 0x60);
   CHECK(payload[131] == 0xc0);
   CHECK(payload[132] == 0x01);
   auto back = decode_payload(payload);
   REQUIRE(back);
   CHECK(std::get<vote_message>(*back) == v);
   payload[34] = 0x5f; // wrong key length
   auto bad = decode_payload(payload);
   REQUIRE_FALSE(bad);
   CHECK(bad.error().code == decode_errc::bad_value);
   CHECK(bad.error().field == "vote_message.finalizer_key");
}
