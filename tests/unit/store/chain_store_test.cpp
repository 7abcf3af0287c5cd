// Behaviour shared by every chain_store: the same cases run against memory_chain_store (the
// reference semantics) and rocksdb_chain_store.
#include "store/rocksdb_chain_store.hpp"

#include "codec/codec.hpp"

#include "temp_dir.hpp"
#include "test_chain.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace core;
using namespace core::test;

namespace {

struct memory_fixture {
   memory_chain_store s;
   chain_store& store() { return s; }
   void reopen() {}
};

struct rocksdb_fixture {
   temp_dir dir;
   std::unique_ptr<rocksdb_chain_store> s;
   rocksdb_fixture() { reopen(); }
   chain_store& store() { return *s; }
   void reopen() {
      s.reset();
      auto r = rocksdb_chain_store::open(dir.path / "db");
      if (!r)
         FAIL(r.error());
      s = std::move(*r);
   }
};

void require_block(const chain_store& s, const block_state& b) {
   auto got = s.block_by_num(b.block_num());
   REQUIRE(got);
   CHECK(*got == *b.block);
   CHECK(s.id_by_num(b.block_num()) == b.id());
   CHECK(s.num_by_id(b.id()) == b.block_num());
}

} // namespace

TEMPLATE_TEST_CASE("chain_store: initialize", "[store]", memory_fixture, rocksdb_fixture) {
   TestType f;
   auto& s = f.store();
   CHECK_FALSE(s.metadata());
   CHECK(s.lib_num() == 0);
   auto g = genesis_block_state();
   REQUIRE(s.initialize(dev_metadata(), *g));
   CHECK(s.metadata() == dev_metadata());
   CHECK(s.first_block_num() == 1);
   CHECK(s.lib_num() == 1);
   REQUIRE(s.lib_state());
   CHECK(s.lib_state()->id == g->id());
   require_block(s, *g);
   CHECK_FALSE(s.block_by_num(2));
   CHECK_FALSE(s.id_by_num(2));
   auto again = s.initialize(dev_metadata(), *g);
   REQUIRE_FALSE(again);
   CHECK(again.error().find("already initialised") != std::string::npos);
}

TEMPLATE_TEST_CASE("chain_store: commit_lib advances the LIB", "[store]", memory_fixture, rocksdb_fixture) {
   TestType f;
   auto& s = f.store();
   auto chain = make_chain(12);
   REQUIRE(s.initialize(dev_metadata(), *chain[0]));
   REQUIRE(s.commit_lib(commit_range(chain, 2, 5)));
   CHECK(s.lib_num() == 5);
   CHECK(pack(*s.lib_state()) == pack(chain[4]->bhs));
   REQUIRE(s.commit_lib(commit_range(chain, 6, 6)));
   REQUIRE(s.commit_lib(commit_range(chain, 7, 12)));
   CHECK(s.lib_num() == 12);
   CHECK(s.first_block_num() == 1);
   CHECK(pack(*s.lib_state()) == pack(chain[11]->bhs));
   for (const auto& b : chain)
      require_block(s, *b);
   // A commit with nothing irreversible leaves the LIB alone.
   REQUIRE(s.commit_lib(lib_commit{}));
   CHECK(s.lib_num() == 12);
}

TEMPLATE_TEST_CASE("chain_store: commit_lib rejects gaps", "[store]", memory_fixture, rocksdb_fixture) {
   TestType f;
   auto& s = f.store();
   auto chain = make_chain(6);
   REQUIRE(s.initialize(dev_metadata(), *chain[0]));
   auto gap = s.commit_lib(commit_range(chain, 3, 4));
   REQUIRE_FALSE(gap);
   CHECK(gap.error().find("does not follow 1") != std::string::npos);
   lib_commit holes;
   holes.irreversible = {chain[1], chain[3]};
   CHECK_FALSE(s.commit_lib(holes));
   CHECK(s.lib_num() == 1);
   CHECK_FALSE(s.block_by_num(2));
   REQUIRE(s.commit_lib(commit_range(chain, 2, 4)));
   CHECK_FALSE(s.commit_lib(commit_range(chain, 4, 5))); // replay of an irreversible block
   CHECK(s.lib_num() == 4);
}

TEMPLATE_TEST_CASE("chain_store: reversible put, load, remove", "[store]", memory_fixture, rocksdb_fixture) {
   TestType f;
   auto& s = f.store();
   auto chain = make_chain(5);
   REQUIRE(s.initialize(dev_metadata(), *chain[0]));
   CHECK(s.load_reversible().empty());
   for (uint32_t n = 2; n <= 5; ++n)
      s.put_reversible(*chain[n - 1]);
   auto loaded = s.load_reversible();
   REQUIRE(loaded.size() == 4);
   std::sort(loaded.begin(), loaded.end(), [](const auto& a, const auto& b) { return a->block_num() < b->block_num(); });
   for (uint32_t n = 2; n <= 5; ++n) {
      const auto& got = *loaded[n - 2];
      CHECK(got.id() == chain[n - 1]->id());
      CHECK(*got.block == *chain[n - 1]->block);
      CHECK(pack(got.bhs) == pack(chain[n - 1]->bhs));
      CHECK(got.validated);
   }
   REQUIRE(s.commit_lib(commit_range(chain, 2, 3)));
   loaded = s.load_reversible();
   std::set<block_id_type> ids;
   for (const auto& b : loaded)
      ids.insert(b->id());
   CHECK(ids == std::set<block_id_type>{chain[3]->id(), chain[4]->id()});
}

TEMPLATE_TEST_CASE("chain_store: duplicate index add and expire", "[store]", memory_fixture, rocksdb_fixture) {
   TestType f;
   auto& s = f.store();
   auto chain = make_chain(4);
   REQUIRE(s.initialize(dev_metadata(), *chain[0]));
   const auto a = trx_id(100, 0), b = trx_id(100, 1), c = trx_id(100, 2), d = trx_id(100, 3);
   const auto e = trx_id(100, 4), g = trx_id(100, 5);
   auto commit = commit_range(chain, 2, 2);
   commit.included_trxs = {{a, {1000}}, {b, {2000}}, {c, {3000}}, {d, {50}}};
   commit.expired_before = {100}; // d is already expired
   REQUIRE(s.commit_lib(commit));
   CHECK(s.has_transaction(a, {1000}));
   CHECK(s.has_transaction(b, {2000}));
   CHECK(s.has_transaction(c, {3000}));
   CHECK_FALSE(s.has_transaction(d, {50}));
   CHECK_FALSE(s.has_transaction(a, {1001})); // an id covers its expiration: another one is another transaction

   lib_commit expire;
   expire.expired_before = {2000};
   REQUIRE(s.commit_lib(expire));
   CHECK_FALSE(s.has_transaction(a, {1000}));
   CHECK_FALSE(s.has_transaction(b, {2000}));
   CHECK(s.has_transaction(c, {3000}));

   // Added while the head time is behind the last prune point (after a fork switch): kept,
   // then pruned when due — also the one below the earlier prune point.
   lib_commit back;
   back.included_trxs = {{e, {2500}}, {g, {1500}}};
   back.expired_before = {1000};
   REQUIRE(s.commit_lib(back));
   CHECK(s.has_transaction(e, {2500}));
   CHECK(s.has_transaction(g, {1500}));
   lib_commit due;
   due.expired_before = {2600};
   REQUIRE(s.commit_lib(due));
   CHECK_FALSE(s.has_transaction(e, {2500}));
   CHECK_FALSE(s.has_transaction(g, {1500}));
   CHECK(s.has_transaction(c, {3000}));
   f.reopen();
   CHECK(f.store().has_transaction(c, {3000}));
   lib_commit all;
   all.expired_before = {5000};
   REQUIRE(f.store().commit_lib(all));
   CHECK_FALSE(f.store().has_transaction(c, {3000}));
}

TEMPLATE_TEST_CASE("chain_store: reopen returns the same state", "[store]", memory_fixture, rocksdb_fixture) {
   TestType f;
   auto chain = make_chain(8);
   REQUIRE(f.store().initialize(dev_metadata(), *chain[0]));
   auto commit = commit_range(chain, 2, 6);
   commit.included_trxs = {{trx_id(3, 0), {9000}}};
   REQUIRE(f.store().commit_lib(commit));
   f.store().put_reversible(*chain[6]);
   f.store().put_reversible(*chain[7]);
   f.reopen();
   auto& s = f.store();
   CHECK(s.metadata() == dev_metadata());
   CHECK(s.first_block_num() == 1);
   CHECK(s.lib_num() == 6);
   REQUIRE(s.lib_state());
   CHECK(pack(*s.lib_state()) == pack(chain[5]->bhs));
   for (uint32_t n = 1; n <= 6; ++n)
      require_block(s, *chain[n - 1]);
   CHECK(s.has_transaction(trx_id(3, 0), {9000}));
   CHECK(s.load_reversible().size() == 2);
   REQUIRE(s.commit_lib(commit_range(chain, 7, 8)));
   CHECK(s.lib_num() == 8);
}
