// The controller in virtual time: production, bootstrap to four producers, LIB agreement,
// forks while producers are partitioned, fork switches with their signal order, transactions.
#include "chain/block_producer.hpp"
#include "chain/controller.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

#include "support/test_keys.hpp"
#include "support/test_transactions.hpp"

#include "signed_chain_builder.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace core;

namespace {

using test::dev_genesis;
using test::dev_key;
using test::key_for;

const std::vector<name> four = {"prod.a"_n, "prod.b"_n, "prod.c"_n, "prod.d"_n};

producer_schedule four_schedule() {
   producer_schedule s;
   for (auto p : four)
      s.producers.push_back({p, key_for(p.to_string()).get_public_key()});
   return s;
}

/// A node in virtual time: store, clock, controller, optional producer, and a signal log.
struct node {
   memory_chain_store store;
   manual_chain_clock clock{dev_genesis().initial_timestamp};
   std::unique_ptr<controller> chain;
   std::unique_ptr<block_producer> producer;
   std::vector<std::string> events;

   explicit node(std::vector<name> producers = {}, bool propose = false, std::chrono::milliseconds lib_interval = {}) {
      controller_config cfg;
      cfg.genesis = dev_genesis();
      cfg.signature_threads = 2;
      cfg.lib_commit_interval = lib_interval;
      chain = std::make_unique<controller>(store, clock, cfg);
      chain->pre_accepted_block.connect([this](const auto& b) { events.push_back(fmt::format("pre:{}", b->block_num())); });
      chain->accepted_block_header.connect([this](const auto& b) { events.push_back(fmt::format("header:{}", b->block_num())); });
      chain->accepted_block.connect([this](const auto& b) {
         events.push_back(fmt::format("block:{}", b->block_num()));
         if (producer)
            producer->on_accepted_block(b);
      });
      chain->irreversible_block.connect([this](const auto& b) { events.push_back(fmt::format("irr:{}", b->block_num())); });
      chain->accepted_transaction.connect([this](const auto&) { events.push_back("trx:accepted"); });
      chain->applied_transaction.connect([this](const auto&, const auto& b) { events.push_back(fmt::format("trx:applied:{}", b->block_num())); });
      auto r = chain->open();
      REQUIRE(r);
      if (!producers.empty())
         make_producer(producers, propose);
   }

   /// Starts producing for `producers` (watermarks only from blocks seen from now on).
   void make_producer(const std::vector<name>& producers, bool propose = false) {
      block_producer_config pc;
      for (auto p : producers)
         pc.producers.push_back({p, p == "eosio"_n ? dev_key() : key_for(p.to_string())});
      if (propose)
         pc.propose_schedule = four_schedule();
      pc.enable_stale_production = true;
      producer = std::make_unique<block_producer>(*chain, pc);
   }

   /// Advances the clock slot by slot to `slot`, producing where scheduled; returns what it made.
   std::vector<block_state_ptr> run_until(uint32_t slot) {
      std::vector<block_state_ptr> made;
      for (uint32_t s = chain->head()->timestamp().slot + 1; s <= slot; ++s) {
         clock.set(block_timestamp{s}.to_time_point());
         if (!producer)
            continue;
         auto b = producer->on_slot(block_timestamp{s}, clock.now());
         if (!b)
            FAIL(b.error());
         if (*b)
            made.push_back(*b);
      }
      return made;
   }
   /// Produces at one slot (which must be ours).
   block_state_ptr produce_at(uint32_t slot) {
      clock.set(block_timestamp{slot}.to_time_point());
      auto b = producer->on_slot(block_timestamp{slot}, clock.now());
      if (!b)
         FAIL(b.error());
      REQUIRE(*b);
      return *b;
   }
   uint32_t head_num() const { return chain->head()->block_num(); }
   uint32_t lib() const { return chain->last_irreversible_block_num(); }
};

/// Offers blocks to a node; with `strict`, every block must be accepted (applied or forked).
std::vector<block_status> feed(node& to, const std::vector<block_state_ptr>& blocks, bool strict = true) {
   std::vector<block_status> out;
   for (const auto& b : blocks) {
      to.clock.set(std::max(to.clock.now(), b->timestamp().to_time_point()));
      auto r = to.chain->accept_block(b->block);
      out.push_back(r.status);
      if (strict) {
         INFO(to_string(r.status) << " " << r.error);
         CHECK((r.status == block_status::applied || r.status == block_status::forked));
      }
   }
   return out;
}

uint32_t genesis_slot() { return block_timestamp::from_time_point(dev_genesis().initial_timestamp).slot; }

} // namespace

TEST_CASE("controller: one producer produces and LIB follows the head", "[chain]") {
   node n({"eosio"_n});
   auto made = n.run_until(genesis_slot() + 20);
   REQUIRE(made.size() == 20);
   CHECK(n.head_num() == 21);
   CHECK(n.lib() == 20);
   CHECK(n.store.lib_num() == 20);
   CHECK(n.store.block_by_num(20)->calculate_id() == *n.chain->block_id_for_num(20));
   // A produced block: accepted_block_header, accepted_block, then the block it made irreversible.
   std::vector<std::string> last(n.events.end() - 3, n.events.end());
   CHECK(last == std::vector<std::string>{"header:21", "block:21", "irr:20"});
}

TEST_CASE("controller: bootstrap hands over to four producers and LIB advances", "[chain]") {
   node n({"eosio"_n, "prod.a"_n, "prod.b"_n, "prod.c"_n, "prod.d"_n}, true);
   n.run_until(genesis_slot() + 12 * 4 * 4);
   const auto& active = n.chain->head()->bhs.active_schedule;
   REQUIRE(active.version == 1);
   REQUIRE(active.producers.size() == 4);
   std::set<name> producers_seen;
   for (uint32_t i = n.lib() + 1; i <= n.head_num(); ++i)
      producers_seen.insert(n.chain->fetch_block_by_number(i)->producer);
   for (uint32_t i = 2; i <= n.lib(); ++i)
      producers_seen.insert(n.store.block_by_num(i)->producer);
   CHECK(producers_seen.size() == 5);
   CHECK(n.lib() > 100);
   CHECK(n.lib() < n.head_num());
}

TEST_CASE("controller: a follower fed the blocks agrees on head and LIB", "[chain]") {
   node a({"eosio"_n, "prod.a"_n, "prod.b"_n, "prod.c"_n, "prod.d"_n}, true);
   node b;
   auto made = a.run_until(genesis_slot() + 12 * 4 * 3);
   feed(b, made);
   CHECK(b.chain->head()->id() == a.chain->head()->id());
   CHECK(b.lib() == a.lib());
   CHECK(b.store.lib_num() == a.store.lib_num());
   // The follower's signals for a pushed block: pre, header, block (and irreversible ones).
   auto it = std::find(b.events.begin(), b.events.end(), "pre:30");
   REQUIRE(it != b.events.end());
   CHECK(*(it + 1) == "header:30");
   CHECK(*(it + 2) == "block:30");
}

TEST_CASE("controller: LIB commits wait for the commit interval, flush_lib commits the rest", "[chain]") {
   using namespace std::chrono_literals;
   node p({"eosio"_n});
   auto made = p.run_until(genesis_slot() + 40); // blocks 2..41, LIB 40
   node f({}, false, 250ms);
   // The follower's clock stands still (an hour after genesis): blocks arrive faster than the interval.
   f.clock.set(time_point{dev_genesis().initial_timestamp.us + 3600 * 1000000LL});
   feed(f, made);
   CHECK(f.head_num() == 41);
   CHECK(f.chain->head()->dpos_irreversible_blocknum() == 40);
   CHECK(f.lib() == 2); // the first advance committed at once, every later one waits
   CHECK(f.store.lib_num() == 2);
   CHECK(f.chain->lib_pending());
   CHECK(std::count_if(f.events.begin(), f.events.end(), [](const auto& e) { return e.starts_with("irr:"); }) == 1);
   // Blocks above the committed LIB are still served from the fork database.
   REQUIRE(f.chain->fetch_block_by_number(30));
   CHECK(f.chain->fetch_block_by_number(30)->calculate_id() == *p.chain->block_id_for_num(30));

   REQUIRE(f.chain->flush_lib());
   CHECK(!f.chain->lib_pending());
   CHECK(f.lib() == 40);
   CHECK(f.store.lib_num() == 40);
   CHECK(f.store.lib_state()->id == p.chain->last_irreversible()->id());
   std::vector<std::string> irr;
   for (const auto& e : f.events)
      if (e.starts_with("irr:"))
         irr.push_back(e);
   REQUIRE(irr.size() == 39);
   CHECK(irr.front() == "irr:2");
   CHECK(irr.back() == "irr:40"); // in block order, each once

   // Once the interval has passed, the next block's advance commits at once.
   auto next = p.run_until(genesis_slot() + 41);
   f.clock.advance(250ms);
   feed(f, next);
   CHECK(f.lib() == 41);
   CHECK(f.store.lib_num() == 41);
}

TEST_CASE("controller: a fork switch below a waiting LIB commits it first", "[chain]") {
   using namespace std::chrono_literals;
   // One producer signs two branches from block 3: A at consecutive slots (blocks 4..11, LIB
   // 10), B later (blocks 4'..19', LIB 18'). Committing at once, A's LIB excludes B; a
   // follower holding A's LIB back must not switch to B either.
   node a({"eosio"_n});
   auto branch_a = a.run_until(genesis_slot() + 10);
   REQUIRE(branch_a.size() == 10);
   node b;
   feed(b, {branch_a[0], branch_a[1]});
   b.make_producer({"eosio"_n});
   std::vector<block_state_ptr> branch_b;
   for (uint32_t s = genesis_slot() + 20; s < genesis_slot() + 36; ++s)
      branch_b.push_back(b.produce_at(s));
   REQUIRE(branch_b.back()->dpos_irreversible_blocknum() > a.chain->head()->dpos_irreversible_blocknum());

   node at_once;
   node held({}, false, 250ms);
   held.clock.set(time_point{dev_genesis().initial_timestamp.us + 3600 * 1000000LL});
   for (node* n : {&at_once, &held}) {
      feed(*n, branch_a);
      auto st = feed(*n, branch_b, false);
      CHECK(std::count(st.begin(), st.end(), block_status::applied) == 0);
      REQUIRE(n->chain->flush_lib());
      CHECK(n->chain->head()->id() == a.chain->head()->id());
      CHECK(n->lib() == 10);
      CHECK(n->store.lib_state()->id == *a.chain->block_id_for_num(10));
   }
}

TEST_CASE("controller: partitioned producers fork, and healing converges on one head and LIB", "[chain]") {
   node seed({"eosio"_n, "prod.a"_n, "prod.b"_n, "prod.c"_n, "prod.d"_n}, true);
   auto common = seed.run_until(genesis_slot() + 12 * 4 * 3);
   node x({"prod.a"_n, "prod.b"_n, "prod.c"_n});
   node y({"prod.d"_n});
   feed(x, common);
   feed(y, common);
   const uint32_t start = seed.chain->head()->timestamp().slot;
   auto xs = x.run_until(start + 12 * 4 * 2);
   auto ys = y.run_until(start + 12 * 4 * 2);
   REQUIRE(!xs.empty());
   REQUIRE(!ys.empty());
   CHECK(x.chain->head()->id() != y.chain->head()->id());
   CHECK(x.lib() > y.lib()); // three of four producers keep finalising, one alone cannot
   // y switches to the branch with the higher LIB; x refuses y's blocks at or below its LIB
   // (old) and so cannot link the rest (unlinkable).
   feed(y, xs);
   auto to_x = feed(x, ys, false);
   CHECK(std::count(to_x.begin(), to_x.end(), block_status::old) > 0);
   CHECK(std::count(to_x.begin(), to_x.end(), block_status::applied) == 0);
   CHECK(x.chain->head()->id() == y.chain->head()->id());
   CHECK(x.lib() == y.lib());
}

TEST_CASE("controller: a fork switch pops and applies with signals in order", "[chain]") {
   node seed({"eosio"_n, "prod.a"_n, "prod.b"_n, "prod.c"_n, "prod.d"_n}, true);
   auto common = seed.run_until(genesis_slot() + 12 * 4 * 3);
   const uint32_t start = seed.chain->head()->timestamp().slot;
   // The producer of the next turn forks itself: branch A at its first two slots, branch B
   // (same parent) at the three slots after. Without watermarks it confirms nothing, so the
   // branches tie on LIB and B wins only with its 3rd block, by length.
   const name p = seed.chain->head()->bhs.scheduled_producer(block_timestamp{start + 1}).producer_name;
   node a;
   node bnode;
   feed(a, common);
   feed(bnode, common);
   a.make_producer({p});
   bnode.make_producer({p});
   std::vector<block_state_ptr> branch_a = {a.produce_at(start + 1), a.produce_at(start + 2)};
   std::vector<block_state_ptr> branch_b_all = {bnode.produce_at(start + 3), bnode.produce_at(start + 4),
                                                bnode.produce_at(start + 5)};
   node v;
   feed(v, common);
   feed(v, branch_a);
   CHECK(v.chain->head()->id() == branch_a.back()->id());
   v.events.clear();
   feed(v, branch_b_all);
   CHECK(v.chain->head()->id() == branch_b_all.back()->id());
   const uint32_t n1 = branch_b_all[0]->block_num();
   // b1, b2 tie with or trail branch A: header only. b3 is longer: switch, applying b1..b3.
   std::vector<std::string> expect = {
      fmt::format("pre:{}", n1),     fmt::format("header:{}", n1),     fmt::format("pre:{}", n1 + 1),
      fmt::format("header:{}", n1 + 1), fmt::format("pre:{}", n1 + 2), fmt::format("header:{}", n1 + 2),
      fmt::format("block:{}", n1),   fmt::format("block:{}", n1 + 1),  fmt::format("block:{}", n1 + 2)};
   std::vector<std::string> got;
   for (const auto& e : v.events)
      if (!e.starts_with("irr:"))
         got.push_back(e);
   CHECK(got == expect);
}

TEST_CASE("controller: reopening the store restores head, LIB and reversible blocks", "[chain]") {
   node n({"eosio"_n, "prod.a"_n, "prod.b"_n, "prod.c"_n, "prod.d"_n}, true);
   n.run_until(genesis_slot() + 12 * 4 * 3);
   const auto head = n.chain->head()->id();
   const auto lib = n.lib();
   controller again(n.store, n.clock, controller_config{dev_genesis()});
   std::vector<std::string> events;
   again.pre_accepted_block.connect([&](const auto& b) { events.push_back(fmt::format("pre:{}", b->block_num())); });
   again.accepted_block.connect([&](const auto& b) { events.push_back(fmt::format("block:{}", b->block_num())); });
   REQUIRE(again.open());
   CHECK(again.head()->id() == head);
   CHECK(again.last_irreversible_block_num() == lib);
   CHECK(events.front() == fmt::format("pre:{}", lib + 1));
   genesis_state other = dev_genesis();
   other.initial_configuration.max_transaction_lifetime += 1;
   controller wrong(n.store, n.clock, controller_config{other});
   auto r = wrong.open();
   REQUIRE_FALSE(r);
   CHECK(r.error().find("chain") != std::string::npos);
}

namespace {
/// A transfer signed with the dev key over n's chain, referencing its head, expiring in `ttl` s.
std::shared_ptr<const packed_transaction> transfer(node& n, std::string memo, uint32_t ttl = 30) {
   const auto& head = n.chain->head();
   const time_point_sec expiration{static_cast<uint32_t>(head->timestamp().to_time_point().us / 1000000 + ttl)};
   return std::make_shared<const packed_transaction>(
      test::signed_transfer(n.chain->chain_id(), head->block_num(), head->id(), expiration, memo, dev_key(), "alice"_n));
}
} // namespace

TEST_CASE("controller: transactions are validated, deduplicated, produced and relayed once", "[chain]") {
   node n({"eosio"_n});
   n.run_until(genesis_slot() + 3);
   auto t1 = transfer(n, "one");
   auto t2 = transfer(n, "two");
   n.events.clear();
   auto r1 = n.chain->push_transaction(t1);
   CHECK(r1.accepted);
   CHECK(r1.id == t1->id());
   CHECK(n.chain->push_transaction(t2).accepted);
   CHECK(n.events == std::vector<std::string>{"trx:accepted", "trx:accepted"});
   auto dup = n.chain->push_transaction(t1);
   CHECK_FALSE(dup.accepted);
   CHECK(dup.error.find("duplicate") != std::string::npos);
   CHECK(n.chain->unapplied_transaction_count() == 2);

   n.events.clear();
   auto made = n.run_until(n.chain->head()->timestamp().slot + 1);
   REQUIRE(made.size() == 1);
   REQUIRE(made[0]->block->transactions.size() == 2);
   CHECK(std::get<packed_transaction>(made[0]->block->transactions[0].trx).id() == t1->id());
   CHECK(n.chain->unapplied_transaction_count() == 0);
   const auto num = made[0]->block_num();
   // Already accepted when pushed: only applied now, then the block.
   CHECK(n.events[0] == "header:" + std::to_string(num));
   CHECK(n.events[1] == "trx:applied:" + std::to_string(num));
   CHECK(n.events[2] == "trx:applied:" + std::to_string(num));
   CHECK(n.events[3] == "block:" + std::to_string(num));
   // Included (reversible, then irreversible) transactions stay duplicates.
   CHECK_FALSE(n.chain->push_transaction(t1).accepted);
   n.run_until(n.chain->head()->timestamp().slot + 2);
   CHECK(n.store.has_transaction(t1->id(), t1->get_transaction().expiration));
   CHECK_FALSE(n.chain->push_transaction(t1).accepted);

   // A follower applying the block emits accepted + applied per transaction.
   node f;
   std::vector<block_state_ptr> chain_blocks;
   for (uint32_t i = 2; i <= n.head_num(); ++i) {
      auto b = std::make_shared<block_state>();
      b->block = n.chain->fetch_block_by_number(i);
      chain_blocks.push_back(b);
   }
   for (const auto& b : chain_blocks) {
      f.clock.set(b->block->timestamp.to_time_point());
      REQUIRE(f.chain->accept_block(b->block).status == block_status::applied);
   }
   auto it = std::find(f.events.begin(), f.events.end(), "header:" + std::to_string(num));
   REQUIRE(it != f.events.end());
   CHECK(std::vector<std::string>(it + 1, it + 6) ==
         std::vector<std::string>{"trx:accepted", "trx:applied:" + std::to_string(num), "trx:accepted",
                                  "trx:applied:" + std::to_string(num), "block:" + std::to_string(num)});
}

TEST_CASE("controller: invalid and expired transactions are refused or dropped", "[chain]") {
   node n({"eosio"_n});
   n.run_until(genesis_slot() + 3);
   auto good = transfer(n, "x");
   SECTION("non-canonical signature") {
      // Authorities are not checked (no contract state), but every signature must recover
      // canonically.
      auto t = good->get_transaction();
      auto sig = std::get<signature::k1>(good->signatures[0].storage);
      sig.data[1] |= 0x80;
      auto pt = packed_transaction::make(t, {signature(sig)});
      auto r = n.chain->push_transaction(std::make_shared<const packed_transaction>(pt));
      CHECK_FALSE(r.accepted);
      CHECK_FALSE(r.error.empty());
   }
   SECTION("TAPO to an unknown block") {
      auto t = good->get_transaction();
      t.ref_block_prefix ^= 1;
      auto pt = packed_transaction::make(t, {dev_key().sign(packed_transaction::make(t, {}).sig_digest(n.chain->chain_id()))});
      auto r = n.chain->push_transaction(std::make_shared<const packed_transaction>(pt));
      CHECK_FALSE(r.accepted);
      CHECK(r.error.find("tapos") != std::string::npos);
   }
   SECTION("expired while queued") {
      auto t = transfer(n, "soon", 2);
      REQUIRE(n.chain->push_transaction(t).accepted);
      // Produce nothing for a while: the next producer round sees it expired.
      n.clock.set(block_timestamp{n.chain->head()->timestamp().slot + 20}.to_time_point());
      auto b = n.producer->on_slot(block_timestamp{n.chain->head()->timestamp().slot + 20}, n.clock.now());
      REQUIRE(b);
      REQUIRE(*b);
      CHECK((*b)->block->transactions.empty());
      CHECK(n.chain->unapplied_transaction_count() == 0);
   }
}

TEST_CASE("controller: a popped block's transactions return to the queue", "[chain]") {
   node seed({"eosio"_n, "prod.a"_n, "prod.b"_n, "prod.c"_n, "prod.d"_n}, true);
   auto common = seed.run_until(genesis_slot() + 12 * 4 * 3);
   const uint32_t start = seed.chain->head()->timestamp().slot;
   const name p = seed.chain->head()->bhs.scheduled_producer(block_timestamp{start + 1}).producer_name;
   node a, bnode, v;
   for (node* x : {&a, &bnode, &v})
      feed(*x, common);
   a.make_producer({p});
   bnode.make_producer({p});
   auto t = transfer(a, "forked away");
   REQUIRE(a.chain->push_transaction(t).accepted);
   auto a1 = a.produce_at(start + 1);
   REQUIRE(a1->block->transactions.size() == 1);
   std::vector<block_state_ptr> b = {bnode.produce_at(start + 3), bnode.produce_at(start + 4)};
   feed(v, {a1});
   CHECK(v.chain->unapplied_transaction_count() == 0);
   feed(v, b);
   CHECK(v.chain->head()->id() == b.back()->id());
   CHECK(v.chain->unapplied_transaction_count() == 1);
   // Still valid: the next block on the new branch includes it.
   auto again = v.chain->push_transaction(t);
   CHECK_FALSE(again.accepted); // already queued
}

TEST_CASE("controller: a block reuses the keys of a queued transaction only for the same signatures", "[chain]") {
   node f; // no producer: fed blocks
   chain_test::signed_chain_builder good(dev_genesis());
   auto t = good.make_transaction("queued first");
   auto signed_t = good.sign(t, 0);
   REQUIRE(f.chain->push_transaction(std::make_shared<const packed_transaction>(signed_t)).accepted);

   // The same transaction (same id) with a non-canonical signature: the queue's keys must not
   // stand in for it, so the block is invalid.
   auto bad_t = signed_t;
   std::get<signature::k1>(bad_t.signatures.front().storage).data[1] |= 0x80;
   REQUIRE(bad_t.id() == signed_t.id());
   auto bad_builder = good;
   auto bad = bad_builder.draft({bad_builder.receipt(bad_t)});
   bad_builder.seal(bad);
   f.clock.set(bad.timestamp.to_time_point());
   auto r = f.chain->accept_block(std::make_shared<const signed_block>(bad));
   CHECK(r.status == block_status::invalid);
   CHECK(r.error.find("canonical") != std::string::npos);

   // The block with the queued signatures applies (keys reused) and empties the queue.
   auto ok = good.draft({good.receipt(signed_t)});
   good.seal(ok);
   auto a = f.chain->accept_block(std::make_shared<const signed_block>(ok));
   INFO(a.error);
   CHECK(a.status == block_status::applied);
   CHECK(f.chain->unapplied_transaction_count() == 0);
}

TEST_CASE("controller: prefetched blocks are judged exactly as blocks accepted directly", "[chain]") {
   node p({"eosio"_n});
   std::vector<block_state_ptr> made;
   for (uint32_t s = genesis_slot() + 1; s <= genesis_slot() + 24; ++s) {
      if (s % 3 == 0)
         for (int i = 0; i < 4; ++i)
            REQUIRE(p.chain->push_transaction(transfer(p, fmt::format("prefetch {} {}", s, i))).accepted);
      made.push_back(p.produce_at(s));
   }
   REQUIRE(made.size() == 24);
   // Block 12 with block 13's producer signature: a valid signature, by the right key, over
   // another digest — the recovered key is not the producer's.
   auto forged = std::make_shared<signed_block>(*made[10]->block);
   forged->producer_signature = made[11]->block->producer_signature;

   node direct;
   node ahead;
   std::vector<std::pair<block_status, std::string>> direct_out, ahead_out;
   auto offer_all = [&](node& n, bool prefetch, auto& out) {
      std::vector<std::shared_ptr<const signed_block>> blocks;
      for (std::size_t i = 0; i < made.size(); ++i)
         blocks.push_back(i == 10 ? std::shared_ptr<const signed_block>(forged) : made[i]->block);
      blocks.insert(blocks.begin() + 11, made[10]->block); // then the genuine block 12
      n.clock.set(made.back()->timestamp().to_time_point());
      if (prefetch) {
         // Out of order on purpose: block 20 before its parents (no header state then).
         n.chain->prefetch_block_keys(blocks[20]);
         for (const auto& b : blocks)
            n.chain->prefetch_block_keys(b);
      }
      for (const auto& b : blocks) {
         auto r = n.chain->accept_block(b);
         out.emplace_back(r.status, r.error);
      }
   };
   offer_all(direct, false, direct_out);
   offer_all(ahead, true, ahead_out);
   CHECK(ahead_out == direct_out);
   REQUIRE(direct_out[10].first == block_status::invalid);
   CHECK(direct_out[10].second.find("block 12") != std::string::npos);
   CHECK(std::count(direct_out.begin(), direct_out.end(), std::pair<block_status, std::string>{block_status::applied, ""}) == 24);
   CHECK(ahead.chain->head()->id() == p.chain->head()->id());
   CHECK(ahead.lib() == p.lib());
   CHECK(ahead.chain->block_keys_ready(made.back()->id()));
}

TEST_CASE("controller: a batch of transactions is judged as the same transactions pushed one by one", "[chain]") {
   node n({"eosio"_n});
   n.run_until(genesis_slot() + 3);
   auto t1 = transfer(n, "batch one");
   auto t2 = transfer(n, "batch two");
   auto queued = transfer(n, "queued before");
   REQUIRE(n.chain->push_transaction(queued).accepted);
   auto t3 = transfer(n, "batch three");
   n.events.clear();
   std::vector<std::shared_ptr<const packed_transaction>> batch = {t1, t2, t1, queued, t3};
   auto out = n.chain->push_transactions(batch);
   REQUIRE(out.size() == 5);
   CHECK(out[0].accepted);
   CHECK(out[1].accepted);
   CHECK_FALSE(out[2].accepted); // earlier in the same batch
   CHECK(out[2].error.find("duplicate") != std::string::npos);
   CHECK_FALSE(out[3].accepted); // queued before the batch
   CHECK(out[3].error.find("duplicate") != std::string::npos);
   CHECK(out[4].accepted);
   for (std::size_t i = 0; i < batch.size(); ++i)
      CHECK(out[i].id == batch[i]->id());
   CHECK(n.chain->unapplied_transaction_count() == 4);
   CHECK(std::count(n.events.begin(), n.events.end(), "trx:accepted") == 3);
}
