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

TEST_CASE("engine: a valid received vote is relayed to every other peer at protocol 9 or above, once",
          "[net][engine][votes]") {
   engine_harness h(5, 3);
   h.start();
   const auto from = h.handshaken_peer(1, 3, 5, "", 11);
   const auto p7 = h.handshaken_peer(2, 3, 5, "", 7);
   const auto p9 = h.handshaken_peer(3, 3, 5, "", 9);
   const auto p10 = h.handshaken_peer(4, 3, 5, "", 10);
   h.clear();
   const auto v = vote_on(h.chain.id(5), 0x31);
   h.deliver(from, v);
   REQUIRE(h.chain.votes.size() == 1); // offered to the chain
   CHECK(h.sent_to_of<core::vote_message>(from).empty()); // not back to its sender
   CHECK(h.sent_to_of<core::vote_message>(p7).empty());   // below protocol 9
   CHECK(h.sent_to_of<core::vote_message>(p9) == std::vector<core::vote_message>{v});
   CHECK(h.sent_to_of<core::vote_message>(p10) == std::vector<core::vote_message>{v});
   // The same vote again, from another peer: a duplicate, dropped and not relayed.
   h.deliver(p9, v);
   CHECK(h.sent_to_of<core::vote_message>(p10).size() == 1);
   CHECK(h.sent_to_of<core::vote_message>(from).empty());
   CHECK(h.eng->counters().duplicate_votes == 1);
   CHECK(h.eng->counters().relayed_votes == 2);
   const auto peers = h.eng->peers();
   for (const auto& s : peers) {
      if (s.connection_id == from) {
         CHECK(s.votes_received == 1);
         CHECK(s.protocol_version == 11);
      } else if (s.connection_id == p10) {
         CHECK(s.votes_relayed == 1);
         CHECK(s.protocol_version == 10);
      } else if (s.connection_id == p7) {
         CHECK(s.protocol_version == 7);
         CHECK(s.votes_relayed == 0);
      }
   }
}

TEST_CASE("engine: a vote with a bad signature or an unknown key closes its sender at once, without a go_away (Spring)",
          "[net][engine][votes]") {
   for (auto bad : {core::vote_status::invalid_signature, core::vote_status::unknown_public_key}) {
      engine_harness h(5, 3);
      h.start();
      const auto from = h.handshaken_peer(1, 3, 5, "", 11);
      const auto other = h.handshaken_peer(2, 3, 5, "", 11);
      h.chain.vote_verdict = [bad](const core::vote_message&) { return bad; };
      h.clear();
      h.deliver(from, vote_on(h.chain.id(5), 0x41));
      CHECK(h.sent_to_of<core::vote_message>(other).empty());
      const auto* c = h.close_of(from);
      REQUIRE(c);
      CHECK_FALSE(c->why.go_away.has_value()); // Spring: c->close(false), no go_away
      CHECK(h.close_of(other) == nullptr);
      CHECK(h.eng->counters().rejected_votes == 1);
   }
}

TEST_CASE("engine: votes on an unknown block are dropped and counted in the peer's block status monitor, "
          "which closes it when a block is then rejected (Spring)",
          "[net][engine][votes]") {
   engine_harness h(5, 3);
   h.start();
   const auto from = h.handshaken_peer(1, 3, 5, "", 11);
   const auto other = h.handshaken_peer(2, 3, 5, "", 11);
   h.chain.vote_verdict = [](const core::vote_message&) { return core::vote_status::unknown_block; };
   h.clear();
   // Spring does not close for these votes alone: 20 of them in separate windows.
   for (int i = 0; i < 20; ++i) {
      h.deliver(from, vote_on(core::make_block_id(hash_of(0x77), 100 + i), 0x51));
      h.advance(10ms);
   }
   CHECK(h.sent_to_of<core::vote_message>(other).empty());
   CHECK(h.close_of(from) == nullptr);
   CHECK(h.eng->sync().rejection_windows(from) >= 13);
   CHECK(h.eng->counters().rejected_votes == 20);
   // A rejected block now finds the monitor over Spring's 13 windows: the peer is closed.
   const auto blk = h.next_block();
   h.chain.invalid.insert(blk->calculate_id());
   h.deliver(from, *blk);
   CHECK(h.close_of(from) != nullptr);
   CHECK(h.close_of(other) == nullptr);
}

TEST_CASE("engine: votes on unknown blocks in 13 windows and then an unlinkable block close the sender without a "
          "go_away, a few votes do not (Spring 1.2)",
          "[net][engine][votes]") {
   engine_harness h(5, 3);
   h.start();
   const auto many = h.handshaken_peer(1, 3, 5, "", 11);
   const auto few = h.handshaken_peer(2, 3, 5, "", 11);
   h.chain.vote_verdict = [](const core::vote_message&) { return core::vote_status::unknown_block; };
   for (int i = 0; i < 14; ++i) { // the first opens the monitor's window, each next one counts
      h.deliver(many, vote_on(core::make_block_id(hash_of(0x77), 100 + i), 0x51));
      if (i < 3)
         h.deliver(few, vote_on(core::make_block_id(hash_of(0x78), 100 + i), 0x52));
      h.advance(3ms);
   }
   CHECK(h.eng->sync().rejection_windows(many) == 13);
   CHECK(h.close_of(many) == nullptr);
   h.advance(100ms); // past the handshake sender's repeat guard
   h.clear();
   const auto orphan = test::make_block(core::make_block_id(hash_of(0x79), 40), 1); // its parent is unknown
   h.deliver(few, *orphan);
   CHECK(h.close_of(few) == nullptr);
   CHECK_FALSE(h.sent_to_of<core::handshake_message>(few).empty());
   h.deliver(many, *orphan);
   const auto* c = h.close_of(many);
   REQUIRE(c);
   CHECK_FALSE(c->why.go_away);
}

TEST_CASE("engine: no vote is relayed while the node syncs from a peer (Spring)", "[net][engine][votes]") {
   engine_harness h(5, 3);
   h.start();
   const auto source = h.handshaken_peer(1, 3000, 3000, "", 11); // far ahead: we sync from it
   const auto other = h.handshaken_peer(2, 3, 5, "", 11);
   core::notice_message n;
   n.known_trx.mode = core::id_list_mode::last_irr_catch_up;
   n.known_trx.pending = 3000;
   n.known_blocks.mode = core::id_list_mode::last_irr_catch_up;
   n.known_blocks.ids.push_back(core::make_block_id(hash_of(0xef), 3000));
   h.deliver(source, n);
   REQUIRE(h.eng->sync().syncing_from_peer());
   h.clear();
   h.deliver(source, vote_on(h.chain.id(5), 0x61));
   h.eng->broadcast_vote(vote_on(h.chain.id(5), 0x62), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<core::vote_message>(other).empty());
   CHECK(h.chain.votes.size() == 1); // still aggregated
}
