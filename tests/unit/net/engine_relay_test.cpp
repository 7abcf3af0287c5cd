// engine: block and transaction relay, transaction intake (dropping, duplicates, batches), the
// expiry sweep, and the version gate on what a connection may carry — in virtual time.
#include "engine_harness.hpp"

#include "net/message_gate.hpp"

using namespace core;
using namespace test;

namespace {

std::shared_ptr<const packed_transaction> make_trx(const std::string& memo, int lifetime_s = 60) {
   transaction t;
   t.expiration = time_point_sec{uint32_t(std::chrono::duration_cast<std::chrono::seconds>(t0).count() + lifetime_s)};
   action a;
   a.account = name(name::string_to_value("eosio.token"));
   a.name = name(name::string_to_value("transfer"));
   a.data.assign(memo.begin(), memo.end());
   t.actions.push_back(std::move(a));
   return std::make_shared<const packed_transaction>(packed_transaction::make(t, {}));
}

} // namespace

TEST_CASE("engine: a validated block goes once to every current peer that lacks it, not back to its sender", "[net]") {
   engine_harness h(5, 1);
   h.start();
   const auto a = h.handshaken_peer(2, 1, 5);
   const auto b = h.handshaken_peer(3, 1, 5);
   const auto c = h.handshaken_peer(4, 1, 5);
   h.clear();
   const auto blk = h.next_block();
   h.deliver(a, *blk);
   CHECK(h.sent_to_of<signed_block>(a).empty());
   REQUIRE(h.sent_to_of<signed_block>(b).size() == 1);
   CHECK(h.sent_to_of<signed_block>(b)[0].calculate_id() == blk->calculate_id());
   CHECK(h.sent_to_of<signed_block>(c).size() == 1);
   CHECK(h.eng->counters().relayed_blocks == 2);
   // The same block validated again (another branch switch): nobody gets it twice.
   h.eng->on_block_validated(blk, blk->calculate_id(), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<signed_block>(b).size() == 1);
   CHECK(h.eng->peers()[1].head_num == 6); // b has it now
}

TEST_CASE("engine: nothing is relayed while catching up to a LIB, nor to a peer syncing from us", "[net]") {
   engine_harness h(30, 30);
   h.start();
   const auto behind = h.handshaken_peer(2, 1, 1); // far behind: it syncs from us
   const auto current = h.handshaken_peer(3, 30, 30);
   h.clear();
   const auto blk = h.next_block();
   h.eng->on_block_validated(blk, blk->calculate_id(), h.clock.now());
   h.collect();
   CHECK(h.sent_to_of<signed_block>(behind).empty());
   CHECK(h.sent_to_of<signed_block>(current).size() == 1);

   engine_harness s;
   s.start();
   const auto source = s.handshaken_peer(2, 3000, 3000);
   const auto other = s.handshaken_peer(3, 1, 1);
   notice_message n;
   n.known_trx.mode = id_list_mode::last_irr_catch_up;
   n.known_trx.pending = 3000;
   n.known_blocks.mode = id_list_mode::last_irr_catch_up;
   n.known_blocks.ids.push_back(make_block_id(hash_of(0xef), 3000));
   s.deliver(source, n);
   REQUIRE(s.eng->sync().stage() == sync_stage::lib_catchup);
   s.clear();
   const auto b2 = s.next_block();
   s.eng->on_block_validated(b2, b2->calculate_id(), s.clock.now());
   s.collect();
   CHECK(s.sent_to_of<signed_block>(other).empty());
}

TEST_CASE("engine: received transactions are evaluated in one batch and relayed to the others", "[net]") {
   engine_harness h;
   h.start();
   const auto a = h.handshaken_peer(2, 1, 1);
   const auto b = h.handshaken_peer(3, 1, 1);
   h.clear();
   for (int i = 0; i < 3; ++i)
      h.deliver(a, *make_trx("t" + std::to_string(i)));
   CHECK(h.chain.pushed.empty()); // not before the engine's next tick
   REQUIRE(h.eng->next_tick());
   CHECK(*h.eng->next_tick() <= h.clock.now());
   h.advance(0ms);
   CHECK(h.chain.pushed.size() == 3);
   CHECK(h.chain.push_calls == 1);
   CHECK(h.sent_to_of<packed_transaction>(b).size() == 3);
   CHECK(h.sent_to_of<packed_transaction>(a).empty());
   CHECK(h.eng->counters().relayed_transactions == 3);
}

TEST_CASE("engine: a transaction already seen from any connection is dropped unevaluated", "[net]") {
   engine_harness h;
   h.start();
   const auto a = h.handshaken_peer(2, 1, 1);
   const auto b = h.handshaken_peer(3, 1, 1);
   const auto trx = make_trx("once");
   h.deliver(a, *trx);
   h.deliver(b, *trx);
   h.advance(0ms);
   CHECK(h.chain.pushed.size() == 1);
   CHECK(h.eng->push_transaction(trx, h.clock.now()).error.find("duplicate") != std::string::npos);
   CHECK(h.chain.pushed.size() == 1);
}

TEST_CASE("engine: transactions are dropped when not accepted, or while catching up to a LIB", "[net]") {
   engine_harness h;
   h.cfg.identity.accept_transactions = false;
   h.start();
   const auto a = h.handshaken_peer(2, 1, 1);
   h.deliver(a, *make_trx("x"));
   h.advance(1ms);
   CHECK(h.chain.pushed.empty());
   CHECK(h.eng->counters().dropped_transactions == 1);

   engine_harness s;
   s.start();
   const auto source = s.handshaken_peer(2, 3000, 3000);
   notice_message n;
   n.known_trx.mode = id_list_mode::last_irr_catch_up;
   n.known_trx.pending = 3000;
   n.known_blocks.mode = id_list_mode::last_irr_catch_up;
   n.known_blocks.ids.push_back(make_block_id(hash_of(0xef), 3000));
   s.deliver(source, n);
   s.deliver(source, *make_trx("y"));
   s.advance(1ms);
   CHECK(s.chain.pushed.empty());
   CHECK(s.eng->counters().dropped_transactions == 1);
   CHECK(s.eng->counters().received_transactions == 1);
}

TEST_CASE("engine: a refused transaction is not relayed", "[net]") {
   engine_harness h;
   h.chain.accept_transactions = false;
   h.start();
   const auto a = h.handshaken_peer(2, 1, 1);
   const auto b = h.handshaken_peer(3, 1, 1);
   h.clear();
   h.deliver(a, *make_trx("no"));
   h.advance(1ms);
   CHECK(h.chain.pushed.size() == 1);
   CHECK(h.sent_to_of<packed_transaction>(b).empty());
}

TEST_CASE("engine: an operator's transaction is relayed to every transaction-carrying peer", "[net]") {
   engine_harness h;
   h.start();
   const auto a = h.handshaken_peer(2, 1, 1);
   const auto blk_only = h.connect_inbound("10.0.0.3");
   h.deliver(blk_only, h.handshake_from(3, 1, 1, 1, "blocks.example:9876:blk"));
   h.clear();
   auto r = h.eng->push_transaction(make_trx("op"), h.clock.now());
   h.collect();
   CHECK(r.accepted);
   CHECK(h.sent_to_of<packed_transaction>(a).size() == 1);
   CHECK(h.sent_to_of<packed_transaction>(blk_only).empty());
}

TEST_CASE("engine: the expiry sweep forgets transaction ids after the dedup window", "[net]") {
   engine_harness h;
   h.start();
   const auto a = h.handshaken_peer(2, 1, 1);
   h.deliver(a, *make_trx("old"));
   h.advance(1ms);
   CHECK(h.eng->dispatch().txn_entries() > 0);
   h.advance(13s); // dedup window 10 s, sweep every 3 s
   CHECK(h.eng->dispatch().txn_entries() == 0);
   CHECK(h.chain.expiry_sweeps >= 4);
}

TEST_CASE("message_gate: a message newer than a connection's protocol is never sent", "[net]") {
   CHECK(may_send(message_index_v<handshake_message>, 0));
   CHECK(may_send(message_index_v<signed_block>, proto::explicit_sync));
   CHECK_FALSE(may_send(message_index_v<vote_message>, proto::leap_initial));
   CHECK(may_send(message_index_v<vote_message>, proto::savanna));
   CHECK_FALSE(may_send(message_index_v<block_nack_message>, proto::savanna));
   CHECK(may_send(message_index_v<block_notice_message>, proto::block_nack));
   CHECK_FALSE(may_send(message_index_v<gossip_bp_peers_message>, proto::block_nack));
   CHECK(may_send(message_index_v<gossip_bp_peers_message>, proto::gossip_bp_peers));
   CHECK_FALSE(may_send(message_index_v<transaction_notice_message>, proto::gossip_bp_peers));
   CHECK(may_send(message_index_v<transaction_notice_message>, proto::trx_notice));
   CHECK_FALSE(may_send(message_count, 100));
}
