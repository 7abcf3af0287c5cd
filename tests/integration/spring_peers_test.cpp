// Spring's protocols against a real p2pnode (default network_version 1216): fake peers at 1212
// and 1216 (msgcraft's peer_session) connect over loopback. A 1212 peer syncs the node's chain
// and never receives a message its version does not allow; a 1216 peer gets a block_nack for a
// block the node already has, the 1212 peer does not; a vote on a block the node cannot vote on
// is dropped and not relayed, and (as in Spring) does not by itself close its sender.
#include "support/devnet.hpp"
#include "support/fake_peer.hpp"

#include "net/message_gate.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

constexpr uint32_t seeded_blocks = 40;

/// Connects to `n` as a peer advertising `network_version` with head/LIB at block `at`.
it::fake_peer connect_peer(it::node_process& n, const it::node_status& s, const std::vector<std::string>& ids,
                           uint16_t network_version, uint32_t at) {
   const auto& id = ids.at(at - 1);
   return it::connect_fake_peer(n, {s.chain_id, at, id, at, id}, network_version,
                                "spring peers test " + std::to_string(network_version));
}

core::vote_message vote_on(const std::string& block_id_hex, uint8_t fill) {
   core::vote_message v;
   v.block_id = *core::block_id_type::from_string(block_id_hex);
   v.strong = true;
   v.finalizer_key.data.fill(fill);
   v.sig.data.fill(fill);
   return v;
}

} // namespace

TEST_CASE("spring peers: a 1212 peer syncs from a 1216 node and never receives a message above protocol 7, "
          "a 1216 peer gets a nack",
          "[integration][spring]") {
   it::cluster c("spring-gate");
   auto& n = c.add("node");
   const auto ids = it::seed_chain(n.data_dir(), seeded_blocks);
   const uint32_t head = static_cast<uint32_t>(ids.size());
   n.set("genesis-json", (n.data_dir() / "genesis.json").string());
   n.start();
   const auto s = n.require_status();
   REQUIRE(s.head_num == head);

   // The 1212 peer is at block 1 and syncs everything.
   auto old = connect_peer(n, s, ids, 1212, 1);
   const auto& hs = std::get<core::handshake_message>(old.received.front());
   CHECK(hs.network_version == 1216); // the node's default: Spring 1.2
   REQUIRE(old.session->send(core::sync_request_message{2, head}));
   std::vector<core::signed_block> blocks;
   CHECK(old.read_until(
      [&](const core::net_message& m) {
         if (const auto* b = std::get_if<core::signed_block>(&m))
            blocks.push_back(*b);
         return !blocks.empty() && blocks.back().block_num() == head;
      },
      20s));
   INFO(n.log_tail());
   REQUIRE(blocks.size() == head - 1);

   // A 1216 peer in step with the node, and the 1212 one, send a block the node already has.
   auto spring = connect_peer(n, s, ids, 1216, head);
   const auto& known = blocks.at(head - 3); // block head-1
   REQUIRE(spring.session->send(known));
   CHECK(spring.read_until([](const core::net_message& m) { return std::holds_alternative<core::block_nack_message>(m); },
                           5s));
   REQUIRE(spring.count<core::block_nack_message>() == 1);
   REQUIRE(old.session->send(known));
   // A vote on a legacy block (the node cannot count it: unknown block to the vote machinery)
   // from the 1216 peer: dropped, not relayed, and it does not close the sender (Spring).
   REQUIRE(spring.session->send(vote_on(ids.back(), 0x5a)));
   old.drain(1500ms);
   spring.drain(500ms);
   CHECK(spring.closed.empty());
   CHECK(spring.count<core::vote_message>() == 0);

   for (const auto& m : old.received) {
      INFO("message " << m.index() << " sent to the 1212 peer");
      CHECK(core::may_send(static_cast<uint32_t>(m.index()), core::proto::leap_initial));
   }
   CHECK(old.count<core::block_nack_message>() == 0);
   CHECK(old.closed.empty());

   // p2pctl peers shows both connections' protocol and counters.
   const auto peers = n.peers();
   bool saw_old = false, saw_spring = false;
   for (const auto& p : peers) {
      const auto agent = p.HasMember("last_handshake") && p["last_handshake"].IsObject()
                            ? it::str_member(p["last_handshake"], "agent")
                            : std::string();
      if (agent == "spring peers test 1212") {
         saw_old = true;
         CHECK(it::uint_member(p, "protocol_version") == 7);
         CHECK(it::uint_member(p, "nacks_sent") == 0);
      } else if (agent == "spring peers test 1216") {
         saw_spring = true;
         CHECK(it::uint_member(p, "protocol_version") == 11);
         CHECK(it::uint_member(p, "nacks_sent") == 1);
         CHECK(it::uint_member(p, "votes_received") == 1);
         CHECK(it::uint_member(p, "votes_rejected") == 1);
      }
   }
   CHECK(saw_old);
   CHECK(saw_spring);
}
