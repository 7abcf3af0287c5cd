// make_handshake against the golden handshake vectors (bytes and signature identical to Leap),
// p2p_address forms, the generation counter and populate_handshake's skip rule.
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "crypto/recover.hpp"
#include "net/handshake_checks.hpp"
#include "net/peer_identity.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <climits>

using namespace core;
using namespace std::chrono_literals;

namespace {
checksum256 cs(const rapidjson::Value& v) { return *checksum256::from_string(v.GetString()); }

handshake_chain_info chain_of(const rapidjson::Value& f) {
   return {f["last_irreversible_block_num"].GetUint(), cs(f["last_irreversible_block_id"]), f["head_num"].GetUint(),
           cs(f["head_id"])};
}

constexpr const char* dev_wif = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
} // namespace

TEST_CASE("handshake_builder: signed golden vector is reproduced byte for byte", "[net]") {
   const auto& g = test::golden_named("handshake_signed");
   const auto& f = g.fields();
   peer_identity me;
   me.chain_id = cs(f["chain_id"]);
   me.node_id = cs(f["node_id"]);
   me.server_address = "127.0.0.1:9876";
   auto key = private_key::from_string(dev_wif);
   REQUIRE(key);
   me.peer_private_keys.emplace(key->get_public_key(), *key);
   REQUIRE(key->get_public_key().to_string() == f["key"].GetString());

   int64_t t = std::stoll(test::str_of(f["time"]));
   auto h = make_handshake(me, chain_of(f), connection_kind::both, proto::leap_initial, 1, net_time{t});
   CHECK(h.p2p_address == "127.0.0.1:9876 - 265828e");
   CHECK(h.token.to_string() == f["token"].GetString());
   CHECK(h.sig.to_string() == f["sig"].GetString());
   CHECK(to_hex(pack(h)) == g.hex());
   CHECK_FALSE(is_valid(h));
   auto rec = recover_key(h.sig, h.token);
   REQUIRE(rec);
   CHECK(*rec == h.key);
}

TEST_CASE("handshake_builder: unsigned blocks-only golden vector is reproduced", "[net]") {
   const auto& g = test::golden_named("handshake_unsigned_empty_key");
   const auto& f = g.fields();
   peer_identity me;
   me.chain_id = cs(f["chain_id"]);
   me.node_id = cs(f["node_id"]);
   me.server_address = "peer.example.com:9876";
   me.agent = f["agent"].GetString();
   int64_t t = std::stoll(test::str_of(f["time"]));
   auto h = make_handshake(me, chain_of(f), connection_kind::blocks_only, proto::leap_initial, 4, net_time{t});
   CHECK(h.p2p_address == "peer.example.com:9876:blk - e097bea");
   CHECK(h.key.empty());
   CHECK(h.token.empty());
   CHECK(h.sig.empty());
   CHECK(to_hex(pack(h)) == g.hex());
   CHECK_FALSE(is_valid(h));

   // Not accepting transactions also advertises ":blk".
   me.accept_transactions = false;
   auto h2 = make_handshake(me, chain_of(f), connection_kind::both, proto::leap_initial, 4, net_time{t});
   CHECK(to_hex(pack(h2)) == g.hex());
}

TEST_CASE("handshake_builder: default handshake matches its vector and is invalid", "[net]") {
   const auto& g = test::golden_named("handshake_default");
   handshake_message h;
   CHECK(to_hex(pack(h)) == g.hex());
   auto bad = is_valid(h);
   REQUIRE(bad);
   CHECK(bad->rule == handshake_rule::p2p_address_empty);
}

TEST_CASE("handshake_builder: p2p_address forms", "[net]") {
   peer_identity me;
   me.node_id = *checksum256::from_string("1a2b3c4d5e6f00000000000000000000000000000000000000000000000000ff");
   me.server_address = "node.example:9876";
   CHECK(handshake_p2p_address(me, connection_kind::both) == "node.example:9876 - 1a2b3c4");
   CHECK(handshake_p2p_address(me, connection_kind::transactions_only) == "node.example:9876:trx - 1a2b3c4");
   CHECK(handshake_p2p_address(me, connection_kind::blocks_only) == "node.example:9876:blk - 1a2b3c4");
   me.accept_transactions = false;
   CHECK(handshake_p2p_address(me, connection_kind::both) == "node.example:9876:blk - 1a2b3c4");

   CHECK(server_address_from_listen_endpoint("0.0.0.0:9876:0", "myhost") == "myhost:9876");
   CHECK(server_address_from_listen_endpoint("[::]:9877", "myhost") == "myhost:9877");
   CHECK(server_address_from_listen_endpoint("10.1.2.3:9876:1MiB/s", "myhost") == "10.1.2.3:9876");
   CHECK(server_address_from_listen_endpoint("[2001:db8::1]:9876", "h") == "[2001:db8::1]:9876");

   auto p = split_peer_address("peer.example.com:9876:blk - e097bea");
   CHECK(p.host == "peer.example.com");
   CHECK(p.port == "9876");
   CHECK(p.type == "blk");
   CHECK(connection_kind_from_address("peer.example.com:9876:blk - e097bea") == connection_kind::blocks_only);
   CHECK(connection_kind_from_address("1.2.3.4:9876:trx") == connection_kind::transactions_only);
   CHECK(connection_kind_from_address("1.2.3.4:9876 - abcdef0") == connection_kind::both);
   CHECK(split_peer_address("[::1]:9876:trx").host == "::1");

   auto a = make_node_id();
   auto b = make_node_id();
   CHECK(a != b);
   CHECK_FALSE(a.empty());
}

TEST_CASE("handshake_builder: generation counter and skip rule", "[net]") {
   CHECK(next_handshake_generation(0) == 1);
   CHECK(next_handshake_generation(1) == 2);
   CHECK(next_handshake_generation(INT16_MAX - 1) == INT16_MAX);
   // Leap resets the counter to 1 before incrementing: never 0 or negative.
   CHECK(next_handshake_generation(INT16_MAX) == 2);

   peer_identity me;
   me.server_address = "127.0.0.1:9876";
   me.node_id = make_node_id();
   handshake_chain_info chain{10, checksum256{}, 20, *checksum256::from_string(std::string(64, 'a'))};
   handshake_sender s;
   const net_time t0{1'700'000'000'000'000'000};
   auto h1 = s.next(me, chain, connection_kind::both, t0);
   REQUIRE(h1);
   CHECK(h1->generation == 1);
   CHECK(h1->network_version == 1212);
   CHECK(h1->time == t0.count());
   // Same head within 50 ms: skipped, counter unchanged.
   CHECK_FALSE(s.next(me, chain, connection_kind::both, t0 + 49ms));
   CHECK(s.sent_count == 1);
   CHECK_FALSE(s.next(me, chain, connection_kind::both, t0 + 50ms - 1ns));
   // At 50 ms: sent.
   auto h2 = s.next(me, chain, connection_kind::both, t0 + 50ms);
   REQUIRE(h2);
   CHECK(h2->generation == 2);
   // New head: sent immediately.
   chain.head_id = *checksum256::from_string(std::string(64, 'b'));
   auto h3 = s.next(me, chain, connection_kind::both, t0 + 51ms);
   REQUIRE(h3);
   CHECK(h3->generation == 3);

   // 2.1 downgrade: proto 1 (1206) from generation 1 again.
   s.downgrade_to_explicit_sync();
   chain.head_id = *checksum256::from_string(std::string(64, 'c'));
   auto h4 = s.next(me, chain, connection_kind::both, t0 + 52ms);
   REQUIRE(h4);
   CHECK(h4->generation == 1);
   CHECK(h4->network_version == 1206);
   s.reset();
   CHECK(s.sent_count == 0);
   CHECK(s.last_sent == handshake_message{});
   CHECK(s.net_version == proto::explicit_sync);

   s.sent_count = INT16_MAX;
   chain.head_id = *checksum256::from_string(std::string(64, 'd'));
   auto h5 = s.next(me, chain, connection_kind::both, t0 + 1s);
   REQUIRE(h5);
   CHECK(h5->generation == 2);
}
