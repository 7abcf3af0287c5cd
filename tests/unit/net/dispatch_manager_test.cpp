// dispatch_manager: blk_state and local_txns bookkeeping and the relay decisions.
#include "net/dispatch_manager.hpp"

#include "sync_test_util.hpp"

#include <catch2/catch.hpp>

using namespace core;
using namespace std::chrono_literals;
using test::bid;

namespace {
transaction_id_type tid(uint8_t b) {
   transaction_id_type t;
   t.data.fill(b);
   return t;
}
const net_time now0 = std::chrono::seconds{1'700'000'000};
time_point_sec secs(net_time t) { return time_point_sec{uint32_t(std::chrono::duration_cast<std::chrono::seconds>(t).count())}; }
} // namespace

TEST_CASE("dispatch_manager: block state tracks who has which block and expires at LIB", "[net]") {
   dispatch_manager d;
   CHECK_FALSE(d.have_block(bid(10)));
   CHECK(d.add_peer_block(bid(10), 1));
   CHECK_FALSE(d.add_peer_block(bid(10), 1));
   CHECK(d.add_peer_block(bid(10), 2));
   CHECK(d.add_peer_block(bid(11), 1));
   CHECK(d.add_peer_block(bid(300), 3));
   CHECK(d.have_block(bid(10)));
   CHECK(d.peer_has_block(bid(10), 2));
   CHECK_FALSE(d.peer_has_block(bid(11), 2));
   CHECK(d.block_entries() == 4);
   d.expire_blocks(10);
   CHECK_FALSE(d.have_block(bid(10)));
   CHECK(d.have_block(bid(11)));
   CHECK(d.block_entries() == 2);
   d.expire_blocks(299); // ordering by id is ordering by number, across byte boundaries
   CHECK(d.have_block(bid(300)));
   CHECK(d.block_entries() == 1);
   d.rejected_block(bid(300));
   CHECK(d.block_entries() == 0);
}

TEST_CASE("dispatch_manager: blocks relay to current block connections without it, never in lib_catchup", "[net]") {
   dispatch_manager d;
   std::vector<dispatch_peer> peers = {
      {1, true, true, true}, {2, true, true, true}, {3, false, true, true}, {4, true, false, true}, {5, true, true, false}};
   d.add_peer_block(bid(20), 1); // received from 1
   CHECK(d.relay_block(bid(20), peers, true).empty());
   CHECK(d.relay_block(bid(20), peers, false) == std::vector<uint32_t>{2, 5});
   CHECK(d.relay_block(bid(20), peers, false).empty()); // already sent
}

TEST_CASE("dispatch_manager: transaction dedup and expiry", "[net]") {
   dispatch_manager d; // 10 s dedup cap
   CHECK_FALSE(d.add_peer_txn(tid(1), secs(now0 + 3600s), 1, now0));
   CHECK(d.add_peer_txn(tid(1), secs(now0 + 3600s), 2, now0)); // duplicate from another peer
   CHECK(d.have_txn(tid(1)));
   CHECK_FALSE(d.peer_has_txn(tid(1), 2));
   CHECK_FALSE(d.add_peer_txn(tid(2), secs(now0 + 3s), 1, now0)); // expires before the cap

   d.expire_txns(now0 + 2s);
   CHECK(d.have_txn(tid(1)));
   CHECK(d.have_txn(tid(2)));
   d.expire_txns(now0 + 3s);
   CHECK(d.have_txn(tid(1)));
   CHECK_FALSE(d.have_txn(tid(2)));
   d.expire_txns(now0 + 10s); // capped at now + 10 s
   CHECK_FALSE(d.have_txn(tid(1)));
   CHECK(d.txn_entries() == 0);
   CHECK_FALSE(d.add_peer_txn(tid(1), secs(now0 + 3600s), 2, now0 + 11s)); // forgotten: accepted again
}

TEST_CASE("dispatch_manager: transactions relay to transaction connections that have not seen them", "[net]") {
   dispatch_manager d;
   std::vector<dispatch_peer> peers = {{1, true, true, true}, {2, true, true, true}, {3, true, true, false},
                                       {4, false, true, true}, {5, true, false, true}};
   CHECK_FALSE(d.add_peer_txn(tid(7), secs(now0 + 60s), 1, now0));
   CHECK(d.relay_transaction(tid(7), secs(now0 + 60s), peers, now0) == std::vector<uint32_t>{2, 5});
   CHECK(d.relay_transaction(tid(7), secs(now0 + 60s), peers, now0).empty());
   CHECK(d.peer_has_txn(tid(7), 5));
   d.expire_txns(now0 + 10s);
   CHECK(d.txn_entries() == 0);
}
