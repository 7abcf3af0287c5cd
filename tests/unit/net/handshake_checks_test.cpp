// §7 handshake validation: every is_valid rule, each first-handshake failure with its go_away
// reason, the duplicate tie-breaks, every allowed-connection mode and the 2.1 downgrade.
#include "crypto/sha256.hpp"
#include "net/handshake_checks.hpp"
#include "net/peer_identity.hpp"

#include <catch2/catch.hpp>

using namespace core;

namespace {
constexpr const char* dev_wif = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
constexpr int64_t t0 = 1'700'000'000'000'000'000;

checksum256 filled(uint8_t b) {
   checksum256 c;
   c.data.fill(b);
   return c;
}
block_id_type id_at(uint32_t num, uint8_t fill) {
   auto id = filled(fill);
   id.data[0] = uint8_t(num >> 24);
   id.data[1] = uint8_t(num >> 16);
   id.data[2] = uint8_t(num >> 8);
   id.data[3] = uint8_t(num);
   return id;
}

const checksum256 chain = filled(0xc1);

peer_identity peer_node(uint8_t id_fill, bool signed_with_dev_key) {
   peer_identity p;
   p.chain_id = chain;
   p.node_id = filled(id_fill);
   p.server_address = "10.0.0.2:9876";
   if (signed_with_dev_key) {
      auto k = *private_key::from_string(dev_wif);
      p.peer_private_keys.emplace(k.get_public_key(), k);
   }
   return p;
}

handshake_message hello(const peer_identity& p, int16_t gen = 1, int64_t t = t0) {
   handshake_chain_info ci{100, id_at(100, 0xaa), 120, id_at(120, 0xaa)};
   return make_handshake(p, ci, connection_kind::both, proto::leap_initial, gen, net_time{t});
}

handshake_context local_ctx() {
   handshake_context c;
   c.own_node_id = filled(0x55);
   c.chain_id = chain;
   c.listen_address = "10.0.0.1:9876 - 5555555";
   c.incoming = true;
   c.lib_num = 200;
   c.block_id_for_num = [](uint32_t n) -> std::optional<block_id_type> {
      if (n > 200)
         return std::nullopt;
      return id_at(n, 0xaa);
   };
   return c;
}
} // namespace

TEST_CASE("handshake_checks: is_valid rules give fatal_other", "[net]") {
   auto good = hello(peer_node(0x77, true));
   REQUIRE_FALSE(is_valid(good));
   CHECK(handshake_invalid::reason == go_away_reason::fatal_other);

   auto rule_of = [](const handshake_message& m) { return is_valid(m)->rule; };
   auto m = good;
   m.last_irreversible_block_num = m.head_num + 1;
   CHECK(rule_of(m) == handshake_rule::lib_above_head);
   m = good;
   m.p2p_address.clear();
   CHECK(rule_of(m) == handshake_rule::p2p_address_empty);
   m.p2p_address.assign(385, 'a');
   CHECK(rule_of(m) == handshake_rule::p2p_address_too_long);
   m.p2p_address.assign(384, 'a');
   CHECK_FALSE(is_valid(m));
   m = good;
   m.os.clear();
   CHECK(rule_of(m) == handshake_rule::os_empty);
   m.os.assign(385, 'l');
   CHECK(rule_of(m) == handshake_rule::os_too_long);
   m = good;
   m.agent.assign(385, 'x');
   CHECK(rule_of(m) == handshake_rule::agent_too_long);
   m.agent.clear();
   CHECK_FALSE(is_valid(m)); // empty agent is fine
   m = good;
   m.time += 1; // token no longer sha256(time)
   CHECK(rule_of(m) == handshake_rule::token_mismatch);
   m = hello(peer_node(0x77, false)); // unsigned: zero token and sig, any time
   m.time += 1;
   CHECK_FALSE(is_valid(m));
   m.token = handshake_token(12345); // token set without sig must still match time
   CHECK(rule_of(m) == handshake_rule::token_mismatch);

   auto ctx = local_ctx();
   auto bad = good;
   bad.os.clear();
   auto r = check_handshake(bad, ctx);
   CHECK(r.verdict == handshake_verdict::go_away);
   CHECK(r.reason == go_away_reason::fatal_other);
}

TEST_CASE("handshake_checks: token is sha256 of the 8-byte LE time", "[net]") {
   CHECK(handshake_token(1700000000000000000).to_string() ==
         "e1624f55eace539f6b8618b7fc3a34668f16cc7a1a709cc211f7282cd00766b0");
}

TEST_CASE("handshake_checks: accepted first handshake sends ours once", "[net]") {
   auto ctx = local_ctx();
   auto m = hello(peer_node(0x77, false));
   auto r = check_handshake(m, ctx);
   CHECK(r.verdict == handshake_verdict::accept_send_handshake);
   CHECK(r.peer_protocol == 7);
   ctx.sent_handshake_count = 1;
   CHECK(check_handshake(m, ctx).verdict == handshake_verdict::accept);
   // Later generations skip step 3 entirely (even a self node_id).
   auto later = hello(peer_node(0x55, false), 2);
   CHECK(check_handshake(later, ctx).verdict == handshake_verdict::accept);
}

TEST_CASE("handshake_checks: self connection", "[net]") {
   auto ctx = local_ctx();
   auto r = check_first_handshake(hello(peer_node(0x55, false)), ctx);
   CHECK(r.verdict == handshake_verdict::go_away);
   CHECK(r.reason == go_away_reason::self);
}

TEST_CASE("handshake_checks: connection limit is a plain disconnect, after self", "[net]") {
   auto ctx = local_ctx();
   ctx.connection_limit_exceeded = true;
   auto r = check_first_handshake(hello(peer_node(0x77, false)), ctx);
   CHECK(r.verdict == handshake_verdict::disconnect);
   CHECK(r.closes());
   CHECK(check_first_handshake(hello(peer_node(0x55, false)), ctx).reason == go_away_reason::self);
}

TEST_CASE("handshake_checks: duplicate by node_id, both sides of the tie-break", "[net]") {
   auto ctx = local_ctx(); // own node_id 0x55…
   ctx.conn_node_id = filled(0x99);
   // Peer with larger node_id: my id < peer id → not a duplicate (the peer closes its side).
   auto bigger = hello(peer_node(0x77, false));
   ctx.others.push_back({true, bigger.node_id, t0, t0});
   CHECK(check_first_handshake(bigger, ctx).verdict == handshake_verdict::accept_send_handshake);
   // Peer with smaller node_id: duplicate, go_away carries the stored conn node_id.
   auto smaller = hello(peer_node(0x33, false));
   ctx.others = {{true, smaller.node_id, t0, t0}};
   auto r = check_first_handshake(smaller, ctx);
   CHECK(r.verdict == handshake_verdict::go_away);
   CHECK(r.reason == go_away_reason::duplicate);
   CHECK(r.go_away_node_id == filled(0x99));
   // The other connection must be connected and carry the same node_id.
   ctx.others = {{false, smaller.node_id, t0, t0}};
   CHECK(check_first_handshake(smaller, ctx).verdict == handshake_verdict::accept_send_handshake);
   ctx.others = {{true, filled(0x34), t0, t0}};
   CHECK(check_first_handshake(smaller, ctx).verdict == handshake_verdict::accept_send_handshake);
   // Leap 5 checks duplicates only on incoming connections.
   ctx.others = {{true, smaller.node_id, t0, t0}};
   ctx.incoming = false;
   CHECK(check_first_handshake(smaller, ctx).verdict == handshake_verdict::accept_send_handshake);
   // The raw network_version (≥ 1205) is what Leap compares to 5/6: a peer advertising proto 5
   // still gets the node_id rule while the local side is not downgraded.
   ctx.incoming = true;
   auto v5 = smaller;
   v5.network_version = proto::net_version_base + 5;
   CHECK(check_first_handshake(v5, ctx).reason == go_away_reason::duplicate);
}

TEST_CASE("handshake_checks: duplicate tie-breaks of a downgraded side", "[net]") {
   auto ctx = local_ctx();
   auto m = hello(peer_node(0x77, false)); // bigger id: node_id rule would keep it
   peer_connection_view other{true, m.node_id, t0, t0};

   // Local side at proto 1: keep the connection with the larger sum of handshake times.
   ctx.local_net_version = proto::explicit_sync;
   ctx.last_handshake_sent_time = t0; // msg.time + mine = 2·t0 ≤ other's 2·t0 → keep (not duplicate)
   CHECK_FALSE(is_duplicate_of(m, ctx, other));
   ctx.last_handshake_sent_time = t0 + 1; // larger sum → this one is the duplicate
   CHECK(is_duplicate_of(m, ctx, other));

   // Local side at proto 5: compare listen address with msg.p2p_address.
   ctx.local_net_version = 5;
   ctx.listen_address = "10.0.0.1:9876"; // < "10.0.0.2:9876 - …" → not duplicate
   CHECK_FALSE(is_duplicate_of(m, ctx, other));
   ctx.listen_address = "10.0.0.3:9876";
   CHECK(is_duplicate_of(m, ctx, other));
}

TEST_CASE("handshake_checks: wrong chain", "[net]") {
   auto ctx = local_ctx();
   auto p = peer_node(0x77, false);
   p.chain_id = filled(0xc2);
   auto r = check_first_handshake(hello(p), ctx);
   CHECK(r.reason == go_away_reason::wrong_chain);
   CHECK(r.verdict == handshake_verdict::go_away);
}

TEST_CASE("handshake_checks: authentication per allowed-connection mode", "[net]") {
   auto dev = *private_key::from_string(dev_wif);
   auto signed_msg = hello(peer_node(0x77, true));
   auto unsigned_msg = hello(peer_node(0x77, false));
   auth_config cfg;

   SECTION("any accepts everything") {
      cfg.mode = allowed_connection::any;
      CHECK_FALSE(authenticate_peer(unsigned_msg, cfg));
      CHECK_FALSE(authenticate_peer(signed_msg, cfg));
   }
   SECTION("none rejects everything") {
      cfg.mode = allowed_connection::none;
      CHECK(authenticate_peer(signed_msg, cfg) == auth_failure::none_allowed);
      auto ctx = local_ctx();
      ctx.auth = cfg;
      auto r = check_first_handshake(signed_msg, ctx);
      CHECK(r.verdict == handshake_verdict::go_away);
      CHECK(r.reason == go_away_reason::authentication);
   }
   SECTION("specified: peer-key list") {
      cfg.mode = allowed_connection::specified;
      CHECK(authenticate_peer(signed_msg, cfg) == auth_failure::unauthorized_key); // unknown key
      cfg.peer_keys.push_back(dev.get_public_key());
      CHECK_FALSE(authenticate_peer(signed_msg, cfg));
      // Known key but no signature.
      auto m = unsigned_msg;
      m.key = dev.get_public_key();
      CHECK(authenticate_peer(m, cfg) == auth_failure::missing_signature);
      // Token that is not sha256(time).
      m = signed_msg;
      m.time += 1;
      CHECK(authenticate_peer(m, cfg) == auth_failure::token_mismatch);
      // Signature by another key over the right token.
      m = signed_msg;
      m.sig = private_key::generate().sign(m.token);
      CHECK(authenticate_peer(m, cfg) == auth_failure::key_mismatch);
      // Signature over another digest.
      m = signed_msg;
      m.sig = dev.sign(sha256(std::string_view("other")));
      CHECK(authenticate_peer(m, cfg) == auth_failure::key_mismatch);
      // Garbage signature bytes.
      m = signed_msg;
      signature::k1 junk;
      junk.data.fill(0x01);
      m.sig = junk;
      CHECK(authenticate_peer(m, cfg) == auth_failure::unrecoverable_signature);

      auto ctx = local_ctx();
      ctx.auth = cfg;
      CHECK(check_first_handshake(signed_msg, ctx).verdict == handshake_verdict::accept_send_handshake);
      auto bad = signed_msg;
      bad.sig = private_key::generate().sign(bad.token);
      auto r = check_first_handshake(bad, ctx);
      CHECK(r.reason == go_away_reason::authentication);
      CHECK(r.verdict == handshake_verdict::go_away);
   }
   SECTION("own peer-private-key is accepted") {
      cfg.mode = allowed_connection::specified;
      cfg.own_keys.insert(dev.get_public_key());
      CHECK_FALSE(authenticate_peer(signed_msg, cfg));
   }
   SECTION("producers: producer key") {
      cfg.mode = allowed_connection::producers;
      CHECK(authenticate_peer(signed_msg, cfg) == auth_failure::unauthorized_key);
      auto pk = dev.get_public_key();
      cfg.is_producer_key = [pk](const public_key& k) { return k == pk; };
      CHECK_FALSE(authenticate_peer(signed_msg, cfg));
   }
   SECTION("producers|specified combined") {
      cfg.mode = allowed_connection::producers | allowed_connection::specified;
      CHECK(has(cfg.mode, allowed_connection::producers));
      CHECK(authenticate_peer(signed_msg, cfg) == auth_failure::unauthorized_key);
      cfg.peer_keys.push_back(dev.get_public_key());
      CHECK_FALSE(authenticate_peer(signed_msg, cfg));
   }
}

TEST_CASE("handshake_checks: forked LIB", "[net]") {
   auto ctx = local_ctx(); // my LIB 200, my ids filled 0xaa
   auto m = hello(peer_node(0x77, false)); // peer LIB 100 id …aa: same chain
   CHECK(check_first_handshake(m, ctx).verdict == handshake_verdict::accept_send_handshake);
   m.last_irreversible_block_id = id_at(100, 0xbb);
   auto r = check_first_handshake(m, ctx);
   CHECK(r.verdict == handshake_verdict::go_away);
   CHECK(r.reason == go_away_reason::forked);
   // Peer LIB above mine: not checked here.
   ctx.lib_num = 99;
   CHECK(check_first_handshake(m, ctx).verdict == handshake_verdict::accept_send_handshake);
   // Unknown block at that number: ignored.
   ctx.lib_num = 200;
   ctx.block_id_for_num = [](uint32_t) -> std::optional<block_id_type> { return std::nullopt; };
   CHECK(check_first_handshake(m, ctx).verdict == handshake_verdict::accept_send_handshake);
   // Peer LIB 0: not checked.
   ctx.block_id_for_num = [](uint32_t n) -> std::optional<block_id_type> { return id_at(n, 0xcc); };
   m.last_irreversible_block_num = 0;
   CHECK(check_first_handshake(m, ctx).verdict == handshake_verdict::accept_send_handshake);
}

TEST_CASE("handshake_checks: EOSIO 2.1 peers get the proto 1 downgrade", "[net]") {
   CHECK(to_protocol_version(1204) == 0);
   CHECK(to_protocol_version(1205) == 0);
   CHECK(to_protocol_version(1212) == 7);
   CHECK(to_protocol_version(1205 + 106) == 106);
   CHECK(to_protocol_version(1205 + 107) == 0);

   auto ctx = local_ctx();
   ctx.sent_handshake_count = 1;
   auto m = hello(peer_node(0x77, false));
   for (uint16_t p = 0; p <= 12; ++p) {
      m.network_version = uint16_t(proto::net_version_base + p);
      auto r = check_first_handshake(m, ctx);
      INFO("proto " << p);
      CHECK(r.peer_protocol == p);
      if (p >= 3 && p <= 6)
         CHECK(r.verdict == handshake_verdict::accept_downgrade);
      else
         CHECK(r.verdict == handshake_verdict::accept);
   }
}
