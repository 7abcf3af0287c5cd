// Savanna votes in the engine (protocol 9, PROTOCOL.md §16), as Spring 1.2's net_plugin sends
// them: the node's own vote (broadcast_vote) and received votes (checked, relayed, counted).
#include "engine_harness.hpp"

using namespace test;

namespace {

core::vote_message vote_on(const core::block_id_type& id, uint8_t key) {
   core::vote_message v;
   v.block_id = id;
   v.strong = true;
   v.finalizer_key.data.fill(key);
   v.sig.data.fill(static_cast<uint8_t>(key + 1));
   return v;
}

} // namespace

TEST_CASE("engine: broadcast_vote sends the node's vote to every current peer at protocol 9 or above",
          "[net][engine][votes]") {
   engine_harness h(5, 3);
   h.cfg.identity.network_version = 1216;
   h.start();
   const auto p7 = h.handshaken_peer(1, 3, 5, "", 7);
   const auto p9 = h.handshaken_peer(2, 3, 5, "", 9);
   const auto p11 = h.handshaken_peer(3, 3, 5, "", 11);
   h.clear();
   const auto v = vote_on(h.chain.id(5), 0x21);
   h.eng->broadcast_vote(v, h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<core::vote_message>(p7).empty());
   REQUIRE(h.sent_to_of<core::vote_message>(p9).size() == 1);
   CHECK(h.sent_to_of<core::vote_message>(p9).front() == v);
   CHECK(h.sent_to_of<core::vote_message>(p11).size() == 1);
}

TEST_CASE("engine: broadcast_vote sends nothing when the node itself speaks protocol 7",
          "[net][engine][votes]") {
   engine_harness h(5, 3);
   h.cfg.identity.network_version = 1212;
   h.start();
   const auto p11 = h.handshaken_peer(3, 3, 5, "", 11);
   h.clear();
   h.eng->broadcast_vote(vote_on(h.chain.id(5), 0x21), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<core::vote_message>(p11).empty());
   CHECK(h.eng->counters().gated_messages >= 1);
}
