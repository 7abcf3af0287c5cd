// block_nack / block_notice (protocol 10) in the engine, as Spring 1.2's net_plugin uses them,
// and the per-version gate of everything the engine sends — in virtual time.
#include "engine_harness.hpp"

#include "net/message_gate.hpp"

using namespace core;
using namespace test;

namespace {

/// Nacks blocks first..last (which the node has) from `cid`.
void nack_range(engine_harness& h, uint32_t cid, uint32_t first, uint32_t last) {
   for (uint32_t n = first; n <= last; ++n)
      h.deliver(cid, block_nack_message{h.chain.id(n)});
}

} // namespace

TEST_CASE("engine: a block the node already has is answered with a nack at protocol 10, not below",
          "[net][engine][nack]") {
   engine_harness h(5, 3);
   h.start();
   const auto p10 = h.handshaken_peer(1, 3, 5, "", 10);
   const auto p9 = h.handshaken_peer(2, 3, 5, "", 9);
   h.clear();
   h.deliver(p10, *h.chain.best[4]);
   h.deliver(p9, *h.chain.best[4]);
   CHECK(h.sent_to_of<block_nack_message>(p10) == std::vector<block_nack_message>{{h.chain.id(5)}});
   CHECK(h.sent_to_of<block_nack_message>(p9).empty());
   CHECK(h.eng->counters().nacks_sent == 1);
}

TEST_CASE("engine: more than 2 consecutive nacks switch a peer to block notices, a reset switches it back",
          "[net][engine][nack]") {
   engine_harness h(8, 3);
   h.start();
   const auto nacker = h.handshaken_peer(1, 3, 8, "", 11);
   const auto plain = h.handshaken_peer(2, 3, 8, "", 11);
   nack_range(h, nacker, 4, 6); // 3 nacks: consecutive count 2, not over the threshold
   h.clear();
   auto blk = h.next_block();
   h.eng->on_block_validated(blk, blk->calculate_id(), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<signed_block>(nacker).size() == 1);
   nack_range(h, nacker, 7, 7); // the 4th consecutive: 3 > 2
   h.chain.extend_to(9);
   h.clear();
   blk = h.chain.next_blocks(1).front();
   h.eng->on_block_validated(blk, blk->calculate_id(), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<signed_block>(nacker).empty());
   REQUIRE(h.sent_to_of<block_notice_message>(nacker).size() == 1);
   CHECK(h.sent_to_of<block_notice_message>(nacker)[0] == block_notice_message{blk->previous, blk->calculate_id()});
   CHECK(h.sent_to_of<signed_block>(plain).size() == 1);
   CHECK(h.eng->counters().block_bytes_saved > 0);
   for (const auto& s : h.eng->peers())
      if (s.connection_id == nacker) {
         CHECK(s.block_notices);
         CHECK(s.nacks_received == 4);
         CHECK(s.notices_sent == 1);
      }
   // A null nack resets the count: blocks again.
   h.deliver(nacker, block_nack_message{});
   h.chain.extend_to(10);
   h.clear();
   blk = h.chain.next_blocks(1).front();
   h.eng->on_block_validated(blk, blk->calculate_id(), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<signed_block>(nacker).size() == 1);
}

TEST_CASE("engine: a producer sends its own blocks whole even to a peer that nacked (Spring)", "[net][engine][nack]") {
   engine_harness h(8, 3);
   h.cfg.own_producers.insert(name(name::string_to_value("eosio")));
   h.start();
   const auto nacker = h.handshaken_peer(1, 3, 8, "", 11);
   nack_range(h, nacker, 4, 7);
   h.clear();
   const auto blk = h.next_block(); // produced by eosio
   h.eng->on_block_validated(blk, blk->calculate_id(), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<signed_block>(nacker).size() == 1);
   CHECK(h.sent_to_of<block_notice_message>(nacker).empty());
}

TEST_CASE("engine: p2p-disable-block-nack sends neither nacks nor notices", "[net][engine][nack]") {
   engine_harness h(8, 3);
   h.cfg.disable_block_nack = true;
   h.start();
   const auto nacker = h.handshaken_peer(1, 3, 8, "", 11);
   nack_range(h, nacker, 4, 7);
   h.clear();
   h.deliver(nacker, *h.chain.best[7]);
   CHECK(h.sent_to_of<block_nack_message>(nacker).empty());
   const auto blk = h.next_block();
   h.eng->on_block_validated(blk, blk->calculate_id(), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<signed_block>(nacker).size() == 1);
}

TEST_CASE("engine: a notice of a block whose parent is unknown requests the branch once, with a nack reset",
          "[net][engine][nack]") {
   engine_harness h(5, 3);
   h.start();
   const auto a = h.handshaken_peer(1, 3, 9, "", 11);
   const auto b = h.handshaken_peer(2, 3, 9, "", 11);
   h.clear();
   const auto ahead = h.chain.next_blocks(4); // blocks 6..9, unknown here
   const block_notice_message note{ahead[2]->calculate_id(), ahead[3]->calculate_id()};
   h.deliver(a, note);
   const auto reqs = h.sent_to_of<request_message>(a);
   REQUIRE(reqs.size() == 1);
   CHECK(reqs[0].req_blocks.mode == id_list_mode::normal);
   CHECK(reqs[0].req_blocks.ids == std::vector<block_id_type>{note.previous, h.chain.head_id()});
   CHECK(h.sent_to_of<block_nack_message>(a) == std::vector<block_nack_message>{{}});
   // The same notice from another peer: already requested.
   h.deliver(b, note);
   CHECK(h.sent_to_of<request_message>(b).empty());
   // A notice of a block we have: recorded, nothing requested.
   h.deliver(b, block_notice_message{h.chain.id(4), h.chain.id(5)});
   CHECK(h.sent_to_of<request_message>(b).empty());
   CHECK(h.eng->dispatch().peer_has_block(h.chain.id(5), b));
   // A notice whose ids do not follow each other: closed, no go_away (Spring).
   h.deliver(b, block_notice_message{h.chain.id(2), h.chain.id(5)});
   REQUIRE(h.close_of(b));
   CHECK_FALSE(h.close_of(b)->why.go_away.has_value());
}

TEST_CASE("engine: a nack request (request normal with 2 ids) gets the branch from the requested block",
          "[net][engine][nack]") {
   engine_harness h(8, 3);
   h.start();
   const auto p = h.handshaken_peer(1, 3, 5, "", 10);
   h.clear();
   request_message req;
   req.req_blocks.mode = id_list_mode::normal;
   req.req_blocks.ids = {h.chain.id(6), h.chain.id(5)};
   h.deliver(p, req);
   h.advance(50ms);
   std::vector<uint32_t> nums;
   for (const auto& b : h.sent_to_of<signed_block>(p))
      nums.push_back(b.block_num());
   CHECK(nums == std::vector<uint32_t>{6, 7, 8});
   CHECK(h.close_of(p) == nullptr);
   // The same request from a protocol-7 peer is a bad request (Leap and Spring close it).
   const auto old = h.handshaken_peer(2, 3, 5, "", 7);
   h.deliver(old, req);
   CHECK(h.close_of(old) != nullptr);
}

TEST_CASE("engine: each network_version pair carries only what the lower protocol allows", "[net][engine][gate]") {
   for (uint16_t ours = 1212; ours <= 1217; ++ours)
      for (uint16_t theirs = 1212; theirs <= 1217; ++theirs) {
         INFO("ours " << ours << " theirs " << theirs);
         const uint16_t proto = std::min(ours, theirs) - proto::net_version_base;
         engine_harness h(8, 3);
         h.cfg.identity.network_version = ours;
         h.start();
         const auto p = h.handshaken_peer(1, 3, 8, "", theirs - proto::net_version_base);
         const auto src = h.handshaken_peer(2, 3, 8, "", 11);
         // A vote (ours), a nack (a block we have), and 4 nacks then a relayed block (a notice).
         h.eng->broadcast_vote(vote_message{h.chain.id(8), true, {}, {}}, h.clock.now());
         h.collect();
         h.deliver(p, *h.chain.best[7]);
         for (uint32_t n = 4; n <= 7; ++n)
            h.deliver(p, block_nack_message{h.chain.id(n)});
         h.deliver(src, *h.next_block());
         // Every message sent to p is allowed at the negotiated protocol.
         for (const auto& m : h.sent_to(p))
            CHECK(may_send(static_cast<uint32_t>(m.index()), proto));
         CHECK(h.sent_to_of<vote_message>(p).size() == (proto >= proto::savanna ? 1u : 0u));
         CHECK(h.sent_to_of<block_nack_message>(p).size() == (proto >= proto::block_nack ? 1u : 0u));
         CHECK(h.sent_to_of<block_notice_message>(p).size() == (proto >= proto::block_nack ? 1u : 0u));
         CHECK(h.sent_to_of<signed_block>(p).size() == (proto >= proto::block_nack ? 0u : 1u));
         for (const auto& s : h.eng->peers())
            if (s.connection_id == p)
               CHECK(s.protocol_version == proto);
      }
}
