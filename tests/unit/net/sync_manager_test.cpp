// sync_manager: the §9 handshake decision tree, lib_catchup chunking and round robin,
// timeout reassignment, head_catchup, rejected blocks and the serving-side plans.
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "net/sync_manager.hpp"
#include "net/sync_serve.hpp"

#include "support/golden.hpp"
#include "sync_test_util.hpp"

#include <catch2/catch.hpp>

using namespace core;
using namespace std::chrono_literals;
using test::bid;
using test::fake_chain;

namespace {
using tp = sync_manager::time_point;
const tp t0 = tp{} + 1000s;

sync_peer make_peer(uint32_t cid, uint32_t lib, uint32_t head, uint64_t latency_ns = 10'000'000) {
   sync_peer p;
   p.connection_id = cid;
   p.connected = true;
   p.lib_num = lib;
   p.lib_id = bid(lib);
   p.head_num = head;
   p.head_id = bid(head);
   p.latency_ns = latency_ns;
   p.protocol_version = 7;
   p.generation = 1;
   p.handshake_sent = true;
   return p;
}

template <class T>
const T* msg_at(const sync_actions& a, std::size_t i, uint32_t* cid = nullptr) {
   if (i >= a.items.size())
      return nullptr;
   auto* s = std::get_if<send_action>(&a.items[i]);
   if (!s)
      return nullptr;
   if (cid)
      *cid = s->connection_id;
   return std::get_if<T>(&s->msg);
}

/// Every sync_request_message in the actions, as (cid, start, end).
std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> sync_requests(const sync_actions& a) {
   std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> r;
   for (const auto& it : a.items)
      if (auto* s = std::get_if<send_action>(&it))
         if (auto* m = std::get_if<sync_request_message>(&s->msg))
            r.emplace_back(s->connection_id, m->start_block, m->end_block);
   return r;
}

template <class T>
bool has_action(const sync_actions& a) {
   for (const auto& it : a.items)
      if (std::holds_alternative<T>(it))
         return true;
   return false;
}
} // namespace

TEST_CASE("sync_manager: latency blocks round ping / 500 ms", "[net]") {
   CHECK(latency_blocks(unknown_latency_ns) == 0);
   CHECK(latency_blocks(0) == 0);
   CHECK(latency_blocks(249'000'000) == 0);
   CHECK(latency_blocks(250'000'000) == 1);
   CHECK(latency_blocks(1'000'000'000) == 2);
   fake_chain c;
   sync_manager m(c, {});
   CHECK(m.min_blocks_distance() == 10);
}

TEST_CASE("sync_manager: case 0, same head id: nothing sent", "[net]") {
   fake_chain c;
   c.set_all(100);
   c.lib = 90;
   sync_manager m(c, {});
   sync_actions out;
   m.recv_handshake(make_peer(1, 90, 100), t0, out);
   CHECK(out.empty());
   CHECK_FALSE(m.peer(1)->syncing_from_us);
   CHECK(m.stage() == sync_stage::in_sync);
}

TEST_CASE("sync_manager: case 1, peer LIB beyond my head: re-send handshake only", "[net]") {
   fake_chain c;
   c.set_all(50);
   c.lib = 40;
   sync_manager m(c, {});
   sync_actions out;
   m.recv_handshake(make_peer(1, 200, 220), t0, out);
   REQUIRE(out.items.size() == 1);
   CHECK(std::get<send_handshake_action>(out.items[0]).connection_id == 1);
   CHECK(m.known_lib_num() == 200);
   CHECK(m.stage() == sync_stage::in_sync); // waits for the peer's last_irr_catch_up notice

   out.clear();
   auto p = make_peer(2, 200, 220);
   p.handshake_sent = false;
   m.recv_handshake(p, t0, out);
   CHECK(out.empty());
}

TEST_CASE("sync_manager: case 2, my LIB beyond peer head: last_irr_catch_up notice", "[net]") {
   fake_chain c;
   c.set_all(350000331);
   c.overrides[350000331] = *checksum256::from_string("14dc94ca6aedfd04d37a6fe103c6dd8e8e5f7cfabc6314f627778ea5fcc821ee");
   c.lib = 11;
   // peer head 0 + latency 0 + min distance 10 < 11
   sync_manager m(c, {});
   sync_actions out;
   auto p = make_peer(1, 0, 0, 0);
   p.protocol_version = 7;
   m.recv_handshake(p, t0, out);
   auto* n = msg_at<notice_message>(out, 0);
   REQUIRE(n);
   CHECK(n->known_trx.mode == id_list_mode::last_irr_catch_up);
   CHECK(n->known_trx.pending == 11);
   CHECK(n->known_blocks.mode == id_list_mode::last_irr_catch_up);
   CHECK(n->known_blocks.pending == 350000331);
   REQUIRE(n->known_blocks.ids.size() == 1);
   CHECK(m.peer(1)->syncing_from_us);
   // Same shape as the golden vector apart from known_trx ids (always empty here).
   notice_message golden_shape = *n;
   golden_shape.known_trx.ids.push_back(
      *checksum256::from_string("3bcb2e34c6a31712953aff52643aabe076b16bb4b10161d1d537747d16b8ed61"));
   CHECK(to_hex(pack(golden_shape)) == test::golden_named("notice_last_irr_catch_up_1ids").hex());

   SECTION("within min_blocks_distance: no notice") {
      sync_actions o2;
      m.recv_handshake(make_peer(2, 0, 1, 0), t0, o2); // 11 > 1 + 10 is false → case 4
      auto* n2 = msg_at<notice_message>(o2, 0);
      REQUIRE(n2);
      CHECK(n2->known_blocks.mode == id_list_mode::catch_up);
   }
   SECTION("generation 1 and protocol 0: no notice") {
      sync_actions o2;
      auto q = make_peer(3, 0, 0, 0);
      q.protocol_version = 0;
      m.recv_handshake(q, t0, o2);
      CHECK(o2.empty());
      CHECK_FALSE(m.peer(3)->syncing_from_us);
   }
}

TEST_CASE("sync_manager: case 4, I am ahead: catch_up notice matches the golden vector", "[net]") {
   fake_chain c;
   c.set_all(350000330);
   c.lib = 350000000;
   c.overrides[350000330] = *checksum256::from_string("14dc94caa3717ee826353a404ba4618d1aeeb6879ad7936bce8ed5f46814924d");
   sync_manager m(c, {});
   sync_actions out;
   auto p = make_peer(1, 349999990, 350000320, 0);
   p.protocol_version = 8; // adds the earliest-block id
   m.recv_handshake(p, t0, out);
   REQUIRE(out.items.size() == 1); // peer's head is on my chain: no fork request
   auto* n = msg_at<notice_message>(out, 0);
   REQUIRE(n);
   CHECK(to_hex(pack(*n)) == test::golden_named("notice_sync4_catch_up_head_and_begin").hex());
   CHECK_FALSE(m.peer(1)->syncing_from_us);

   SECTION("peer on another fork: also request its branch") {
      sync_actions o2;
      auto q = make_peer(2, 349999990, 350000320, 0);
      q.head_id = bid(350000320, 0x55);
      m.recv_handshake(q, t0, o2);
      REQUIRE(o2.items.size() == 2);
      auto* r = msg_at<request_message>(o2, 1);
      REQUIRE(r);
      CHECK(r->req_trx.mode == id_list_mode::none);
      CHECK(r->req_blocks.mode == id_list_mode::catch_up);
      CHECK(r->req_blocks.ids.empty());
      CHECK(to_hex(pack(*r)) == "000000000000000000010000000000000000");
   }
}

TEST_CASE("sync_manager: case 5, within latency: nothing", "[net]") {
   fake_chain c;
   c.set_all(100);
   c.lib = 80;
   sync_manager m(c, {});
   sync_actions out;
   m.recv_handshake(make_peer(1, 80, 102, 1'000'000'000), t0, out); // 2 blocks of latency
   CHECK(out.empty());
}

TEST_CASE("sync_manager: case 3, peer a few blocks ahead: head_catchup until its head arrives", "[net]") {
   fake_chain c;
   c.set_all(100);
   c.lib = 80;
   sync_manager m(c, {});
   sync_actions out;
   m.recv_handshake(make_peer(1, 85, 104), t0, out);
   auto* r = msg_at<request_message>(out, 0);
   REQUIRE(r);
   CHECK(r->req_trx.mode == id_list_mode::none);
   CHECK(r->req_blocks.mode == id_list_mode::catch_up);
   REQUIRE(r->req_blocks.ids.size() == 1);
   CHECK(r->req_blocks.ids[0] == bid(100));
   CHECK(m.stage() == sync_stage::head_catchup);

   // A second peer advertising the same head: request mode none (someone is already serving it).
   sync_actions o2;
   m.recv_handshake(make_peer(2, 85, 104), t0, o2);
   auto* r2 = msg_at<request_message>(o2, 0);
   REQUIRE(r2);
   CHECK(r2->req_blocks.mode == id_list_mode::none);

   sync_actions o3;
   for (uint32_t n = 101; n <= 103; ++n) {
      c.set_all(n);
      m.on_block(1, bid(n), n, true, t0, o3);
      CHECK(m.stage() == sync_stage::head_catchup);
   }
   CHECK(o3.empty());
   c.set_all(104);
   m.on_block(1, bid(104), 104, true, t0, o3);
   CHECK(m.stage() == sync_stage::in_sync);
   CHECK(has_action<send_handshakes_all_action>(o3));
}

TEST_CASE("sync_manager: head_catchup is not entered during lib_catchup", "[net]") {
   fake_chain c;
   sync_manager m(c, {});
   sync_actions out;
   m.upsert_peer(make_peer(1, 3000, 3010));
   m.start_sync(1, 3000, t0, out);
   REQUIRE(m.stage() == sync_stage::lib_catchup);
   out.clear();
   notice_message n;
   n.known_blocks.mode = id_list_mode::catch_up;
   n.known_blocks.pending = 3010;
   n.known_blocks.ids = {bid(3010)};
   m.recv_notice(1, n, t0, out);
   REQUIRE(out.items.size() == 1);
   CHECK(std::holds_alternative<send_handshake_action>(out.items[0]));
   CHECK(m.stage() == sync_stage::lib_catchup);
}

TEST_CASE("sync_manager: lib_catchup round-robins sync_fetch_span chunks over the 3 fastest peers", "[net]") {
   fake_chain c;
   sync_manager m(c, {});
   // Four peers; connection 4 is the slowest and must never be chosen by find_next_sync_node.
   m.upsert_peer(make_peer(1, 3500, 3510, 30'000'000));
   m.upsert_peer(make_peer(2, 3500, 3510, 10'000'000));
   m.upsert_peer(make_peer(3, 3500, 3510, 20'000'000));
   m.upsert_peer(make_peer(4, 3500, 3510, 90'000'000));

   sync_actions out;
   notice_message n; // peer 2 tells us its LIB
   n.known_trx.mode = id_list_mode::last_irr_catch_up;
   n.known_trx.pending = 3500;
   n.known_blocks.mode = id_list_mode::last_irr_catch_up;
   n.known_blocks.pending = 3510;
   n.known_blocks.ids = {bid(3510)};
   m.recv_notice(2, n, t0, out);
   CHECK(m.stage() == sync_stage::lib_catchup);
   CHECK(m.known_lib_num() == 3500);
   // The supplied connection is used for the first chunk.
   REQUIRE(sync_requests(out) == std::vector<std::tuple<uint32_t, uint32_t, uint32_t>>{{2, 1, 1000}});
   auto* sr = msg_at<sync_request_message>(out, 0);
   REQUIRE(sr);
   CHECK(to_hex(pack(sync_request_message{1, 100})) == test::golden_named("sync_request_1_100").hex());
   CHECK(m.deadline() == t0 + 5s);

   std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> seen;
   uint32_t source = 2;
   for (uint32_t b = 1; b <= 3500; ++b) {
      sync_actions o;
      m.on_block(source, bid(b), b, false, t0, o);
      c.set_all(b);
      m.on_block(source, bid(b), b, true, t0, o);
      for (auto& r : sync_requests(o)) {
         seen.push_back(r);
         source = std::get<0>(r);
      }
      if (b < 3500)
         CHECK(m.stage() == sync_stage::lib_catchup);
      else
         CHECK(has_action<send_handshakes_all_action>(o));
   }
   // Lowest latency first (2, then 3, then 1), each chosen in turn; 4 never.
   CHECK(seen == std::vector<std::tuple<uint32_t, uint32_t, uint32_t>>{
                    {2, 1001, 2000}, {3, 2001, 3000}, {1, 3001, 3500}});
   CHECK(m.stage() == sync_stage::in_sync);
   CHECK(m.next_expected_num() == 3501);
}

TEST_CASE("sync_manager: round robin continues past the peer limit in ordinal order", "[net]") {
   fake_chain c;
   sync_config cfg;
   cfg.sync_fetch_span = 10;
   sync_manager m(c, cfg);
   for (uint32_t i = 1; i <= 3; ++i)
      m.upsert_peer(make_peer(i, 100, 100, i * 1'000'000));
   sync_actions out;
   m.start_sync(99, 100, t0, out); // unknown connection: find_next_sync_node chooses
   std::vector<uint32_t> sources;
   for (auto& r : sync_requests(out))
      sources.push_back(std::get<0>(r));
   for (uint32_t b = 1; b <= 60; ++b) {
      sync_actions o;
      m.on_block(*m.sync_source(), bid(b), b, false, t0, o);
      c.set_all(b);
      for (auto& r : sync_requests(o))
         sources.push_back(std::get<0>(r));
   }
   CHECK(sources == std::vector<uint32_t>{1, 2, 3, 1, 2, 3, 1});
}

TEST_CASE("sync_manager: 5 s without progress reassigns the range and cancels with {0,0}", "[net]") {
   fake_chain c;
   sync_manager m(c, {});
   m.upsert_peer(make_peer(1, 2000, 2000, 1'000'000));
   m.upsert_peer(make_peer(2, 2000, 2000, 2'000'000));
   sync_actions out;
   m.start_sync(1, 2000, t0, out);
   REQUIRE(sync_requests(out) == std::vector<std::tuple<uint32_t, uint32_t, uint32_t>>{{1, 1, 1000}});

   sync_actions o;
   for (uint32_t b = 1; b <= 10; ++b) {
      m.on_block(1, bid(b), b, false, t0 + 1s, o);
      c.set_all(b);
      m.on_block(1, bid(b), b, true, t0 + 1s, o);
   }
   CHECK(o.empty());
   CHECK(m.deadline() == t0 + 6s); // re-armed by progress

   m.on_timer(t0 + 5500ms, o);
   CHECK(o.empty());
   m.on_timer(t0 + 6s, o);
   REQUIRE(o.items.size() == 3);
   uint32_t cid = 0;
   auto* cancel = msg_at<sync_request_message>(o, 0, &cid);
   REQUIRE(cancel);
   CHECK(cid == 1);
   CHECK(to_hex(pack(*cancel)) == test::golden_named("sync_request_0_0").hex());
   auto& cl = std::get<close_action>(o.items[1]);
   CHECK(cl.connection_id == 1);
   CHECK(cl.reason == go_away_reason::benign_other);
   CHECK(sync_requests(o).back() == std::tuple<uint32_t, uint32_t, uint32_t>{2, 11, 1010});
   CHECK(m.sync_source() == 2u);

   // The closed connection no longer counts; the sync continues from 2.
   sync_actions o2;
   m.peer_closed(1, t0 + 6s, o2);
   CHECK(o2.empty());
   CHECK(m.known_lib_num() == 2000);
}

TEST_CASE("sync_manager: no eligible source gives up to in_sync", "[net]") {
   fake_chain c;
   c.set_all(10);
   c.lib = 5;
   sync_manager m(c, {});
   auto p = make_peer(1, 2000, 2000);
   p.has_go_away = true;
   m.upsert_peer(p);
   sync_actions out;
   m.start_sync(7, 2000, t0, out);
   CHECK(sync_requests(out).empty());
   CHECK(m.stage() == sync_stage::in_sync);
   CHECK(m.known_lib_num() == 5);
}

TEST_CASE("sync_manager: closing the sync source re-requests from another peer", "[net]") {
   fake_chain c;
   sync_manager m(c, {});
   m.upsert_peer(make_peer(1, 500, 500, 1'000'000));
   m.upsert_peer(make_peer(2, 400, 500, 2'000'000));
   sync_actions out;
   m.start_sync(1, 500, t0, out);
   sync_actions o;
   for (uint32_t b = 1; b <= 20; ++b)
      m.on_block(1, bid(b), b, false, t0, o);
   m.peer_closed(1, t0, o);
   // Known LIB falls to the remaining peer's; the range restarts at the next expected block.
   CHECK(sync_requests(o) == std::vector<std::tuple<uint32_t, uint32_t, uint32_t>>{{2, 21, 400}});
}

TEST_CASE("sync_manager: repeated rejected blocks close the connection", "[net]") {
   fake_chain c;
   c.set_all(10);
   c.lib = 10;
   sync_manager m(c, {});
   m.upsert_peer(make_peer(1, 500, 500));
   sync_actions out;
   m.start_sync(1, 500, t0, out);
   // Spring's block_status_monitor: the first rejection opens a window and counts none, each
   // later one a window (2 ms) on counts one; 13 counted windows close.
   for (int i = 0; i < 13; ++i) {
      sync_actions o;
      m.rejected_block(1, 11, t0 + std::chrono::milliseconds(3 * i), o);
      REQUIRE(o.items.size() == 1);
      CHECK(std::holds_alternative<send_handshake_action>(o.items[0]));
      CHECK(m.last_requested_num() == 0);
      CHECK(m.rejection_windows(1) == uint32_t(i));
   }
   sync_actions o;
   m.rejected_block(1, 11, t0 + 39ms, o);
   REQUIRE(o.items.size() == 1);
   CHECK(std::get<close_action>(o.items[0]).connection_id == 1);
}

TEST_CASE("sync_manager: rejections within one 2 ms window count once, and an accepted block resets the monitor",
          "[net]") {
   fake_chain c;
   c.set_all(10);
   c.lib = 10;
   sync_manager m(c, {});
   m.upsert_peer(make_peer(1, 500, 500));
   for (int i = 0; i < 100; ++i)
      m.rejected_vote(1, t0 + std::chrono::microseconds(10 * i)); // all within 1 ms
   CHECK(m.rejection_windows(1) == 0);
   for (int i = 1; i <= 20; ++i)
      m.rejected_vote(1, t0 + std::chrono::milliseconds(2 * i));
   CHECK(m.rejection_windows(1) == 20);
   sync_actions o;
   m.on_block(1, c.id(10), 10, false, t0 + 50ms, o);
   CHECK(m.rejection_windows(1) == 0);
}

TEST_CASE("sync_manager: an unlinkable block closes its sender only with the monitor at 13 windows (Spring 1.2)",
          "[net]") {
   fake_chain c;
   c.set_all(10);
   c.lib = 10;
   sync_manager m(c, {});
   m.upsert_peer(make_peer(1, 500, 500));
   m.upsert_peer(make_peer(2, 500, 500));
   for (int i = 0; i < 5; ++i)
      m.rejected_vote(2, t0 + std::chrono::milliseconds(3 * i));
   for (int i = 0; i < 13; ++i)
      m.rejected_vote(1, t0 + std::chrono::milliseconds(3 * i)); // 12 windows counted
   {
      sync_actions o;
      CHECK_FALSE(m.unlinkable_block(2, t0 + 40ms, o));
      CHECK(o.items.empty());
   }
   sync_actions o;
   CHECK(m.unlinkable_block(1, t0 + 40ms, o)); // the 13th
   REQUIRE(o.items.size() == 1);
   CHECK(std::get<close_action>(o.items[0]).connection_id == 1);
   CHECK(std::get<close_action>(o.items[0]).reason == core::go_away_reason::no_reason);
}

TEST_CASE("sync_manager: notice with more than two block ids closes", "[net]") {
   fake_chain c;
   sync_manager m(c, {});
   m.upsert_peer(make_peer(1, 5, 5));
   notice_message n;
   n.known_blocks.mode = id_list_mode::catch_up;
   n.known_blocks.ids = {bid(1), bid(2), bid(3)};
   sync_actions out;
   m.recv_notice(1, n, t0, out);
   REQUIRE(out.items.size() == 1);
   CHECK(std::holds_alternative<close_action>(out.items[0]));
}

TEST_CASE("sync serve: sync_request ranges, cancel and benign_other", "[net]") {
   fake_chain c;
   c.set_all(100);
   c.earliest = 5;
   auto p = plan_sync_request_response(c, 10, 50);
   CHECK(p.first == 10);
   CHECK(p.last == 50);
   CHECK_FALSE(p.go_away_after);
   p = plan_sync_request_response(c, 90, 120);
   CHECK(p.first == 90);
   CHECK(p.last == 100);
   CHECK(p.count() == 11);
   CHECK(p.go_away_after);
   p = plan_sync_request_response(c, 0, 0);
   CHECK(p.cancel);
   CHECK(p.empty());
   p = plan_sync_request_response(c, 101, 200);
   CHECK(p.empty());
   CHECK(p.go_away_after);
   p = plan_sync_request_response(c, 1, 10); // pruned below the earliest block
   CHECK(p.empty());
   CHECK(p.go_away_after);
}

TEST_CASE("sync serve: catch_up request sends the branch (blk_send_branch)", "[net]") {
   fake_chain c;
   c.set_all(100);
   auto p = plan_catch_up_response(c, bid(40), 30); // head on my chain
   CHECK(p.first == 41);
   CHECK(p.last == 100);
   CHECK_FALSE(p.go_away_after);
   p = plan_catch_up_response(c, bid(40, 0x55), 30); // on a fork: from its LIB
   CHECK(p.first == 31);
   CHECK(p.last == 100);
   p = plan_catch_up_response(c, std::nullopt, 30); // no id
   CHECK(p.first == 31);
   p = plan_catch_up_response(c, bid(150), 30); // beyond my chain
   CHECK(p.empty());
   CHECK(p.go_away_after);
   p = plan_catch_up_response(c, bid(100), 30); // already at my head
   CHECK(p.empty());
   CHECK_FALSE(p.go_away_after);
}
