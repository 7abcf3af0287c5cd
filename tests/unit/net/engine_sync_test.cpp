// engine: block reception and what each chain verdict tells the sync manager, the catch-up
// pipeline, blocks at or below the LIB, the serving of sync ranges with rate caps — in virtual
// time, without sockets.
#include "engine_harness.hpp"

using namespace core;
using namespace test;

namespace {

notice_message lib_notice(uint32_t lib, const block_id_type& head) {
   notice_message n;
   n.known_trx.mode = id_list_mode::last_irr_catch_up;
   n.known_trx.pending = lib;
   n.known_blocks.mode = id_list_mode::last_irr_catch_up;
   n.known_blocks.pending = block_num_from_id(head);
   n.known_blocks.ids.push_back(head);
   return n;
}

/// Puts the harness's engine in lib_catchup from `peer`, which claims LIB and head `lib`.
void catch_up_from(engine_harness& h, uint32_t peer, uint32_t lib) {
   h.deliver(peer, lib_notice(lib, make_block_id(hash_of(0xef), lib)));
   REQUIRE(h.eng->sync().stage() == sync_stage::lib_catchup);
}

std::size_t frame_bytes(const signed_block& b) { return encode_frame(b).size(); }

} // namespace

TEST_CASE("engine: a block at or below the LIB is answered with sync_request{0,0} and a handshake", "[net]") {
   engine_harness h(20, 10);
   h.start();
   const auto peer = h.handshaken_peer(2, 10, 20);
   h.advance(100ms); // past the 50 ms handshake resend rule
   h.clear();
   const auto old = make_block(h.chain.id(4), 7); // block 5 of another branch, below LIB 10
   h.deliver(peer, *old);
   const auto reqs = h.sent_to_of<sync_request_message>(peer);
   REQUIRE(reqs.size() == 1);
   CHECK(reqs[0].start_block == 0);
   CHECK(reqs[0].end_block == 0);
   CHECK(h.sent_to_of<handshake_message>(peer).size() == 1);
   CHECK(h.chain.accepted.empty());
}

TEST_CASE("engine: while syncing from a peer, blocks below the LIB get no reply", "[net]") {
   engine_harness h(20, 10);
   h.start();
   const auto peer = h.handshaken_peer(2, 10, 20);
   const auto source = h.handshaken_peer(3, 5000, 5000);
   catch_up_from(h, source, 5000);
   h.advance(100ms);
   h.clear();
   h.deliver(peer, *make_block(h.chain.id(4), 7));
   CHECK(h.sent_to(peer).empty());
}

TEST_CASE("engine: a handshake with a LIB beyond our head starts no sync until its last_irr_catch_up notice", "[net]") {
   // Leap 5 recv_handshake case 1 (PROTOCOL.md §9): "my head < peer LIB" only re-sends our
   // handshake; the peer, seeing our LIB far behind its head, answers with a last_irr_catch_up
   // notice, and that notice starts the sync. A fake peer that stops after its handshake (msgcraft
   // send --lib-num 99999999 --head-num 99999999) therefore never gets a sync_request: correct.
   engine_harness h;
   h.start();
   const auto peer = h.connect_inbound();
   h.deliver(peer, h.handshake_from(2, 99999999, 99999999));
   CHECK(h.sent_to_of<handshake_message>(peer).size() == 1);
   CHECK(h.sent_to_of<sync_request_message>(peer).empty());
   CHECK(h.eng->sync().stage() == sync_stage::in_sync);
   h.advance(15s); // a heartbeat, sync ticks: still nothing to fetch
   CHECK(h.sent_to_of<sync_request_message>(peer).empty());

   h.clear();
   h.deliver(peer, lib_notice(99999999, make_block_id(hash_of(0xef), 99999999)));
   const auto reqs = h.sent_to_of<sync_request_message>(peer);
   REQUIRE(reqs.size() == 1);
   CHECK(reqs[0].start_block == 2);
   CHECK(reqs[0].end_block == 1001);
   CHECK(h.eng->sync().stage() == sync_stage::lib_catchup);
}

TEST_CASE("engine: catch-up blocks are applied in order once their signatures are recovered", "[net]") {
   engine_harness h;
   h.start();
   const auto source = h.handshaken_peer(2, 3000, 3000);
   catch_up_from(h, source, 3000);
   const auto blocks = h.chain.next_blocks(3);
   h.chain.keys_pending.insert(blocks[0]->calculate_id());
   h.deliver(source, *blocks[0]);
   h.deliver(source, *blocks[1]); // ready, but behind block 2
   CHECK(h.chain.accepted.empty());
   CHECK(h.eng->sync_pipeline_size() == 2);
   h.advance(5ms);
   CHECK(h.chain.accepted.empty()); // still waiting for block 2's keys
   h.chain.keys_pending.clear();
   h.advance(5ms);
   REQUIRE(h.chain.accepted.size() == 2);
   CHECK(h.chain.accepted[0] == blocks[0]->calculate_id());
   CHECK(h.chain.accepted[1] == blocks[1]->calculate_id());
   CHECK(h.chain.head_num() == 3);
   CHECK(h.eng->sync_pipeline_size() == 0);
}

TEST_CASE("engine: the catch-up pipeline holds at most its depth, and the range advances on receipt", "[net]") {
   engine_harness h;
   h.start();
   const auto source = h.handshaken_peer(2, 3000, 3000);
   catch_up_from(h, source, 3000);
   const auto blocks = h.chain.next_blocks(1000);
   for (const auto& b : blocks)
      h.chain.keys_pending.insert(b->calculate_id());
   for (std::size_t i = 0; i < engine::sync_pipeline_depth; ++i)
      h.deliver(source, *blocks[i]);
   CHECK(h.chain.accepted.empty());
   h.deliver(source, *blocks[engine::sync_pipeline_depth]);
   CHECK(h.chain.accepted.size() == 1); // the oldest goes, recovered or not
   h.clear();
   for (std::size_t i = engine::sync_pipeline_depth + 1; i < blocks.size(); ++i) {
      h.deliver(source, *blocks[i]);
      CHECK(h.eng->sync_pipeline_size() <= engine::sync_pipeline_depth);
   }
   // Block 1001, the end of the range, was received but is not applied yet: the next range is
   // requested on its receipt.
   CHECK(h.chain.head_num() < 1001);
   const auto reqs = h.sent_to_of<sync_request_message>(source);
   REQUIRE(reqs.size() == 1);
   CHECK(reqs[0].start_block == 1002);
   CHECK(reqs[0].end_block == 2001);
}

TEST_CASE("engine: a LIB range wider than sync-fetch-span does not stall when applying lags a whole span "
          "(spring#1878)",
          "[net]") {
   // Spring 1.2 stalled when the blocks of a range had all arrived while its applied head lagged
   // a whole sync-fetch-span behind (the request ahead was refused on receipt, and no later
   // event asked again). Here every range arrives before any of its blocks can be applied.
   engine_harness h;
   h.cfg.sync.sync_fetch_span = 10;
   h.start();
   const auto source = h.handshaken_peer(2, 100, 100);
   catch_up_from(h, source, 100);
   const auto blocks = h.chain.next_blocks(99); // 2..100
   uint32_t ranges = 0;
   while (h.chain.head_num() < 100 && ranges < 20) {
      const auto reqs = h.sent_to_of<sync_request_message>(source);
      INFO("head " << h.chain.head_num() << " after " << ranges << " ranges");
      REQUIRE(reqs.size() == 1); // one request per range, never none
      const auto r = reqs.front();
      CHECK(r.start_block == h.chain.head_num() + 1);
      CHECK(r.end_block == std::min(r.start_block + 9, 100u));
      h.clear();
      for (uint32_t n = r.start_block; n <= r.end_block; ++n)
         h.chain.keys_pending.insert(blocks.at(n - 2)->calculate_id());
      for (uint32_t n = r.start_block; n <= r.end_block; ++n)
         h.deliver(source, *blocks.at(n - 2));
      CHECK(h.chain.head_num() == r.start_block - 1); // all received, none applied
      h.chain.keys_pending.clear();
      h.advance(5ms);
      CHECK(h.chain.head_num() == r.end_block);
      ++ranges;
   }
   CHECK(ranges == 10);
   CHECK(h.chain.head_num() == 100);
   CHECK(h.eng->sync().stage() == sync_stage::in_sync);
}

TEST_CASE("engine: applying the block at the known LIB ends lib_catchup and handshakes every peer", "[net]") {
   engine_harness h;
   h.start();
   const auto other = h.handshaken_peer(3, 1, 1);
   const auto source = h.handshaken_peer(2, 20, 20);
   catch_up_from(h, source, 20);
   h.advance(100ms);
   h.clear();
   for (const auto& b : h.chain.next_blocks(19))
      h.deliver(source, *b);
   CHECK(h.chain.head_num() == 20);
   CHECK(h.eng->sync().stage() == sync_stage::in_sync);
   const auto hs = h.sent_to_of<handshake_message>(other);
   REQUIRE_FALSE(hs.empty());
   CHECK(hs.back().head_num == 20);
}

TEST_CASE("engine: a block on another branch is kept as the sender's, with no handshake back", "[net]") {
   engine_harness h(5, 1);
   h.start();
   const auto peer = h.handshaken_peer(2, 1, 5);
   h.advance(100ms);
   h.clear();
   const auto fork = make_block(h.chain.id(3), 9); // a block 4 on another branch
   h.deliver(peer, *fork);
   REQUIRE(h.chain.accepted.size() == 1);
   CHECK(h.chain.known.contains(fork->calculate_id()));
   CHECK(h.eng->dispatch().peer_has_block(fork->calculate_id(), peer));
   CHECK(h.sent_to(peer).empty());
}

TEST_CASE("engine: an invalid block is forgotten by the relay index, and 13 counted rejection windows close its sender",
          "[net]") {
   engine_harness h(5, 1);
   h.start();
   const auto peer = h.handshaken_peer(2, 1, 5);
   h.advance(100ms);
   h.clear();
   auto bad = make_block(h.chain.id(5), 1);
   h.chain.invalid.insert(bad->calculate_id());
   h.deliver(peer, *bad);
   CHECK(h.chain.accepted.size() == 1);
   CHECK_FALSE(h.eng->dispatch().have_block(bad->calculate_id())); // may be received again
   CHECK(h.sent_to_of<handshake_message>(peer).size() == 1);
   CHECK(h.close_of(peer) == nullptr);
   // Leap's and Spring's block_status_monitor: the first rejection opens a window and counts
   // none; each next one, a window (2 ms) later, counts one; the 13th counted closes.
   for (uint16_t i = 2; i <= 14; ++i) {
      h.advance(3ms); // a new 2 ms window each time
      bad = make_block(h.chain.id(5), i);
      h.chain.invalid.insert(bad->calculate_id());
      h.deliver(peer, *bad);
      if (i < 14)
         CHECK(h.close_of(peer) == nullptr);
   }
   const auto* c = h.close_of(peer);
   REQUIRE(c);
   CHECK_FALSE(c->why.go_away);
}

TEST_CASE("engine: an unlinkable block gets its sender our handshake, and the relay index keeps the last 30", "[net]") {
   engine_harness h(5, 1);
   h.start();
   const auto peer = h.handshaken_peer(2, 1, 5);
   h.advance(100ms);
   h.clear();
   for (uint8_t i = 0; i < 40; ++i)
      h.deliver(peer, *make_block(make_block_id(hash_of(i), 1000u + i)));
   CHECK(h.chain.accepted.size() == 40);
   CHECK(h.eng->dispatch().block_entries() <= engine::unlinkable_memory);
   CHECK_FALSE(h.sent_to_of<handshake_message>(peer).empty());
}

TEST_CASE("engine: a known block only counts as the peer's receipt", "[net]") {
   engine_harness h(5, 1);
   h.start();
   const auto peer = h.handshaken_peer(2, 1, 3);
   h.deliver(peer, *h.chain.best[3]);
   CHECK(h.chain.accepted.empty());
   CHECK(h.eng->dispatch().peer_has_block(h.chain.id(4), peer));
}

// ---- serving ----------------------------------------------------------------------------------

TEST_CASE("engine: a listen endpoint's rate cap bounds the bytes served per second", "[net]") {
   engine_harness h(300, 300);
   h.start();
   constexpr uint64_t rate = 20'000; // bytes/s
   const auto peer = h.connect_inbound("10.0.0.7", rate);
   h.deliver(peer, h.handshake_from(7, 1, 1));
   h.clear();
   h.deliver(peer, sync_request_message{2, 300});
   const double fs = double(frame_bytes(*h.chain.best[1]));
   // At once: the 100 ms burst (rate / 10), and not one more block.
   CHECK(double(h.bytes_to(peer)) <= rate / 10.0 + fs);
   CHECK(double(h.bytes_to(peer)) >= rate / 10.0 - fs);
   h.advance(500ms);
   CHECK(double(h.bytes_to(peer)) <= rate * 0.5 + rate / 10.0 + fs);
   CHECK(double(h.bytes_to(peer)) >= rate * 0.5 + rate / 10.0 - 2 * fs);
}

TEST_CASE("engine: without a cap, serving stops at the socket's queue bound and resumes as it drains", "[net]") {
   engine_harness h(300, 300);
   h.start();
   const auto peer = h.handshaken_peer(7, 1, 1);
   h.transport.queued[peer] = engine::serve_queue_bytes;
   h.clear();
   h.deliver(peer, sync_request_message{2, 300});
   CHECK(h.sent_to(peer).empty());
   h.transport.queued[peer] = 0;
   h.advance(10ms);
   CHECK(h.sent_to_of<signed_block>(peer).size() == 299);
}

TEST_CASE("engine: a range beyond our head is served up to it, then go_away benign_other", "[net]") {
   engine_harness h(200, 200);
   h.start();
   const auto peer = h.handshaken_peer(7, 1, 1);
   h.clear();
   h.deliver(peer, sync_request_message{150, 300});
   const auto blocks = h.sent_to_of<signed_block>(peer);
   REQUIRE(blocks.size() == 51);
   CHECK(blocks.front().block_num() == 150);
   CHECK(blocks.back().block_num() == 200);
   const auto* c = h.close_of(peer);
   REQUIRE(c);
   REQUIRE(c->why.go_away);
   CHECK(*c->why.go_away == go_away_reason::benign_other);
}

TEST_CASE("engine: sync_request{0,0} cancels the range being served", "[net]") {
   engine_harness h(300, 300);
   h.start();
   const auto peer = h.connect_inbound("10.0.0.7", 10'000);
   h.deliver(peer, h.handshake_from(7, 1, 1));
   h.deliver(peer, sync_request_message{2, 300});
   h.clear();
   h.deliver(peer, sync_request_message{0, 0});
   h.advance(2s);
   CHECK(h.sent_to_of<signed_block>(peer).empty());
}

TEST_CASE("engine: a catch_up request is answered with the blocks after the requester's head", "[net]") {
   engine_harness h(30, 20);
   h.start();
   const auto peer = h.handshaken_peer(7, 20, 25);
   h.clear();
   request_message req;
   req.req_blocks.mode = id_list_mode::catch_up;
   req.req_blocks.ids.push_back(h.chain.id(25));
   h.deliver(peer, req);
   const auto blocks = h.sent_to_of<signed_block>(peer);
   REQUIRE(blocks.size() == 5);
   CHECK(blocks.front().block_num() == 26);
}
