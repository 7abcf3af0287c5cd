// transaction_notice (protocol 12, PROTOCOL.md §16), as Spring main (2.0-dev) runs it: a large new
// transaction is announced to transaction peers at protocol 12; a received notice keeps the
// transaction from being sent to its sender, and does not make it a duplicate.
#include "engine_harness.hpp"

#include "codec/codec.hpp"

using namespace core;
using namespace test;

namespace {

std::shared_ptr<const packed_transaction> trx_of(std::size_t memo_bytes, char fill = 'm') {
   transaction t;
   t.expiration = time_point_sec{uint32_t(std::chrono::duration_cast<std::chrono::seconds>(t0).count() + 60)};
   action a;
   a.account = name(name::string_to_value("eosio.token"));
   a.name = name(name::string_to_value("transfer"));
   a.data.assign(memo_bytes, fill);
   t.actions.push_back(std::move(a));
   return std::make_shared<const packed_transaction>(packed_transaction::make(t, {}));
}

} // namespace

TEST_CASE("engine: the transaction message length is its encoded payload's", "[net][trx_notice]") {
   for (std::size_t n : {0u, 100u, 5000u}) {
      const auto t = trx_of(n);
      CHECK(transaction_message_bytes(*t) == encode_payload(*t).size());
   }
}

TEST_CASE("engine: a new transaction of 4096 bytes or more is announced to transaction peers at protocol 12",
          "[net][trx_notice]") {
   engine_harness h;
   h.cfg.identity.network_version = 1217;
   h.start();
   const auto from = h.handshaken_peer(2, 1, 1, "", proto::trx_notice);
   const auto p11 = h.handshaken_peer(3, 1, 1, "", proto::gossip_bp_peers);
   const auto p12 = h.handshaken_peer(4, 1, 1, "", proto::trx_notice);
   h.clear();
   const auto big = trx_of(4096);
   REQUIRE(transaction_message_bytes(*big) >= engine::trx_notice_min_bytes);
   h.deliver(from, *big);
   REQUIRE(h.sent_to_of<transaction_notice_message>(p12).size() == 1);
   CHECK(h.sent_to_of<transaction_notice_message>(p12).front().id == big->id());
   CHECK(h.sent_to_of<transaction_notice_message>(from).size() == 1); // Spring: every trx peer at 12
   CHECK(h.sent_to_of<transaction_notice_message>(p11).empty());
   // Small ones are not announced.
   h.clear();
   const auto small = trx_of(100);
   REQUIRE(transaction_message_bytes(*small) < engine::trx_notice_min_bytes);
   h.deliver(from, *small);
   CHECK(h.sent_to_of<transaction_notice_message>(p12).empty());
   // A duplicate is not announced again.
   h.deliver(p11, *big);
   CHECK(h.sent_to_of<transaction_notice_message>(p12).empty());
   CHECK(h.eng->counters().trx_notices_sent == 2);
}

TEST_CASE("engine: a node at 1216 sends no transaction notice", "[net][trx_notice]") {
   engine_harness h;
   h.cfg.identity.network_version = 1216;
   h.start();
   const auto from = h.handshaken_peer(2, 1, 1, "", proto::trx_notice);
   const auto p12 = h.handshaken_peer(4, 1, 1, "", proto::trx_notice);
   h.clear();
   h.deliver(from, *trx_of(5000));
   CHECK(h.sent_to_of<transaction_notice_message>(p12).empty());
}

TEST_CASE("engine: a received notice keeps the transaction from its sender, and is no duplicate",
          "[net][trx_notice]") {
   engine_harness h;
   h.cfg.identity.network_version = 1217;
   h.start();
   const auto a = h.handshaken_peer(2, 1, 1, "", proto::trx_notice);
   const auto b = h.handshaken_peer(3, 1, 1, "", proto::trx_notice);
   const auto c = h.handshaken_peer(4, 1, 1, "", proto::trx_notice);
   h.clear();
   const auto t = trx_of(200);
   h.deliver(b, transaction_notice_message{t->id()});
   CHECK(h.close_of(b) == nullptr);
   CHECK(h.eng->counters().trx_notices_received == 1);
   h.deliver(a, *t);
   h.advance(0ms);
   REQUIRE(h.chain.pushed.size() == 1); // not dropped as a duplicate
   CHECK(h.sent_to_of<packed_transaction>(c).size() == 1);
   CHECK(h.sent_to_of<packed_transaction>(b).empty()); // it said it has it
   CHECK(h.sent_to_of<packed_transaction>(a).empty());
}

TEST_CASE("engine: notices are ignored while the node does not accept transactions", "[net][trx_notice]") {
   engine_harness h;
   h.cfg.identity.network_version = 1217;
   h.cfg.identity.accept_transactions = false;
   h.start();
   const auto b = h.handshaken_peer(3, 1, 1, "", proto::trx_notice);
   const auto t = trx_of(200);
   h.deliver(b, transaction_notice_message{t->id()});
   CHECK(h.eng->dispatch().txn_entries() == 0);
}
