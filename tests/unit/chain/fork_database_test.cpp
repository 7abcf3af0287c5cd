// Fork database over real signed legacy DPoS chains (dev key, four-producer schedule): head
// selection, branches, root advance and pruning, removal, validation marks, unlinkable cache.
#include "chain/fork_database.hpp"

#include "crypto/sha256.hpp"

#include "support/test_keys.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace core;

namespace {

using test::dev_genesis;
using test::dev_key;
using test::key_for;

/// The `skip`-th slot (0 = first) after the parent's at which `producer` is scheduled.
block_timestamp slot_of(const block_header_state& s, name producer, uint32_t skip = 0) {
   for (uint32_t slot = s.header.timestamp.slot + 1;; ++slot)
      if (s.scheduled_producer(block_timestamp{slot}).producer_name == producer && skip-- == 0)
         return block_timestamp{slot};
}

block_header_state produce(const block_header_state& s, name producer, const private_key& k, uint16_t confirmed = 0,
                           uint32_t skip = 0) {
   signed_block_header h;
   h.timestamp = slot_of(s, producer, skip);
   h.producer = producer;
   h.confirmed = confirmed;
   h.previous = s.id;
   h.schedule_version = s.active_schedule.version;
   auto r = s.sign_next(h, k);
   if (!r)
      FAIL(r.error());
   return *r;
}

block_state_ptr make_state(const block_header_state& bhs, bool validated = false) {
   auto st = std::make_shared<block_state>();
   st->bhs = bhs;
   auto b = std::make_shared<signed_block>();
   static_cast<signed_block_header&>(*b) = bhs.header;
   st->block = b;
   st->validated = validated;
   return st;
}

block_state_ptr genesis_root() {
   return make_state(block_header_state::genesis(dev_genesis()), true);
}

/// `count` blocks by eosio (single-producer genesis schedule: LIB = num - 1) on top of `parent`;
/// `skip` > 0 on the first block moves it to a later slot, so that it forks from a sibling.
std::vector<block_state_ptr> eosio_chain(const block_state_ptr& parent, std::size_t count, uint32_t skip = 0) {
   const auto key = dev_key();
   std::vector<block_state_ptr> out;
   block_header_state s = parent->bhs;
   for (std::size_t i = 0; i < count; ++i) {
      s = produce(s, "eosio"_n, key, 0, i == 0 ? skip : 0);
      out.push_back(make_state(s));
   }
   return out;
}

const std::vector<name> four = {"alice"_n, "bob"_n, "carol"_n, "dave"_n};

producer_schedule four_schedule() {
   producer_schedule s{1, {}};
   for (auto n : four)
      s.producers.push_back({n, key_for(n.to_string()).get_public_key()});
   return s;
}

/// Blocks 2..4 by eosio proposing the four-producer schedule (active from block 4), then one
/// block per producer per round up to `last`, confirming since their own last block when
/// `confirm` (as producer_plugin does), or confirming nothing (LIB stalls).
std::vector<block_header_state> four_producer_chain(uint32_t last) {
   const auto key = dev_key();
   std::vector<block_header_state> chain{block_header_state::genesis(dev_genesis())};
   chain.push_back(produce(chain.back(), "eosio"_n, key));
   signed_block_header h3;
   h3.timestamp = slot_of(chain.back(), "eosio"_n);
   h3.producer = "eosio"_n;
   h3.confirmed = 0;
   h3.previous = chain.back().id;
   h3.new_producers = four_schedule();
   auto s3 = chain.back().sign_next(h3, key);
   if (!s3)
      FAIL(s3.error());
   chain.push_back(*s3);
   chain.push_back(produce(chain.back(), "eosio"_n, key));
   std::map<name, uint32_t> watermark;
   while (chain.back().block_num < last) {
      const auto& s = chain.back();
      auto p = four[(s.block_num + 1 - 5) % 4];
      uint16_t confirmed = watermark.count(p) ? static_cast<uint16_t>(s.block_num - watermark[p]) : 0;
      chain.push_back(produce(s, p, key_for(p.to_string()), confirmed));
      watermark[p] = chain.back().block_num;
   }
   return chain;
}

/// Continues `from` with blocks that confirm nothing, up to `last`.
std::vector<block_state_ptr> unconfirming_branch(const block_header_state& from, uint32_t last) {
   std::vector<block_state_ptr> out;
   block_header_state s = from;
   while (s.block_num < last) {
      auto p = four[(s.block_num + 1 - 5) % 4];
      s = produce(s, p, key_for(p.to_string()), 0);
      out.push_back(make_state(s));
   }
   return out;
}

void add_all(fork_database& db, const std::vector<block_state_ptr>& blocks) {
   for (const auto& b : blocks)
      REQUIRE(db.add(b) == fork_database::add_result::added);
}

std::set<block_id_type> ids_of(const std::vector<block_state_ptr>& v) {
   std::set<block_id_type> out;
   for (const auto& b : v)
      out.insert(b->id());
   return out;
}

checksum256 with_bytes(std::initializer_list<std::pair<std::size_t, uint8_t>> bytes) {
   checksum256 h;
   for (auto [i, v] : bytes)
      h.data[i] = v;
   return h;
}

} // namespace

TEST_CASE("fork_database: sha256_less compares four little-endian u64 words in order", "[chain]") {
   const auto zero = checksum256{};
   // Word 0 only: a = 2 (byte 0), b = 1 << 56 (byte 7): byte-wise a > b, word-wise a < b.
   const auto a = with_bytes({{0, 0x02}});
   const auto b = with_bytes({{7, 0x01}});
   CHECK(sha256_less(a, b));
   CHECK_FALSE(sha256_less(b, a));
   // Word 0 decides before word 1: c has 0xff in byte 8 (word 1), d has 1 in byte 0 (word 0).
   const auto c = with_bytes({{8, 0xff}});
   const auto d = with_bytes({{0, 0x01}});
   CHECK(sha256_less(c, d));
   CHECK_FALSE(sha256_less(d, c));
   // Equal first words: the last word decides (byte 31 is the top byte of word 3).
   const auto e = with_bytes({{0, 0x05}, {24, 0xff}});
   const auto f = with_bytes({{0, 0x05}, {31, 0x01}});
   CHECK(sha256_less(e, f)); // 0xff < 0x01 << 56
   CHECK_FALSE(sha256_less(f, e));
   CHECK_FALSE(sha256_less(a, a));
   CHECK(sha256_less(zero, a));
   CHECK_FALSE(sha256_less(a, zero));
}

TEST_CASE("fork_database: linear chain, head follows each new block", "[chain]") {
   auto root = genesis_root();
   fork_database db(root);
   CHECK(db.head() == root);
   CHECK(db.best_validated() == root);
   CHECK(db.size() == 0);

   auto chain = eosio_chain(root, 20);
   for (const auto& b : chain) {
      REQUIRE(db.add(b) == fork_database::add_result::added);
      CHECK(db.head() == b);
   }
   CHECK(db.size() == 20);
   CHECK(db.best_validated() == root); // nothing validated yet
   CHECK(db.get(chain[4]->id()) == chain[4]);
   CHECK(db.get(root->id()) == nullptr);
   CHECK(db.contains(chain.back()->id()));
   CHECK(db.search_on_branch(chain.back()->id(), 7) == chain[5]);
   CHECK(db.search_on_branch(chain.back()->id(), 1) == root);
   CHECK(db.search_on_branch(chain[3]->id(), 10) == nullptr);
   auto branch = db.fetch_branch(chain.back()->id());
   REQUIRE(branch.size() == 20);
   CHECK(branch.front() == chain.back());
   CHECK(branch.back() == chain.front());
   CHECK(db.fetch_branch(root->id()).empty());
   CHECK(db.all().size() == 20);
}

TEST_CASE("fork_database: duplicate, unlinkable and pre-root blocks are refused", "[chain]") {
   auto root = genesis_root();
   fork_database db(root);
   auto chain = eosio_chain(root, 5);
   CHECK(db.add(chain[2]) == fork_database::add_result::unlinkable);
   CHECK(db.size() == 0);
   REQUIRE(db.add(chain[0]) == fork_database::add_result::added);
   CHECK(db.add(chain[0]) == fork_database::add_result::duplicate);
   CHECK(db.add(make_state(chain[0]->bhs)) == fork_database::add_result::duplicate); // same id, other object
   CHECK(db.add(root) == fork_database::add_result::duplicate);
   CHECK(db.add(chain[2]) == fork_database::add_result::unlinkable);
   CHECK(db.size() == 1);
   add_all(db, {chain[1], chain[2]});
   CHECK(db.head() == chain[2]);

   db.mark_valid(chain[0]);
   db.mark_valid(chain[1]);
   db.advance_root(chain[1]->id()); // root = block 3
   CHECK(db.root() == chain[1]);
   auto sibling = eosio_chain(chain[0], 1, 1); // another block 3
   CHECK(db.add(sibling[0]) == fork_database::add_result::not_after_root);
   CHECK(db.add(chain[0]) == fork_database::add_result::not_after_root);
   CHECK(db.add(chain[1]) == fork_database::add_result::duplicate);
   CHECK(db.add(chain[3]) == fork_database::add_result::added);
}

TEST_CASE("fork_database: head by LIB, then block_num, ties keep the first seen", "[chain]") {
   SECTION("longer branch wins at equal LIB rules; a tie keeps the first seen") {
      auto root = genesis_root();
      auto trunk = eosio_chain(root, 3);         // blocks 2..4
      auto a = eosio_chain(trunk.back(), 3);     // 5..7
      auto b = eosio_chain(trunk.back(), 4, 1);  // 5'..8'
      REQUIRE(a[0]->id() != b[0]->id());
      fork_database db(root);
      add_all(db, trunk);
      add_all(db, a);
      CHECK(db.head() == a[2]);
      add_all(db, {b[0], b[1]});
      CHECK(db.head() == a[2]); // b[1] is block 6 < 7
      REQUIRE(db.add(b[2]) == fork_database::add_result::added);
      REQUIRE(b[2]->block_num() == a[2]->block_num());
      REQUIRE(b[2]->dpos_irreversible_blocknum() == a[2]->dpos_irreversible_blocknum());
      CHECK(db.head() == a[2]); // tie: first seen stays
      REQUIRE(db.add(b[3]) == fork_database::add_result::added);
      CHECK(db.head() == b[3]); // longer
   }
   SECTION("ties keep the first seen whichever id sorts first") {
      auto root = genesis_root();
      auto x = eosio_chain(root, 1);
      auto y = eosio_chain(root, 1, 1);
      REQUIRE(x[0]->id() != y[0]->id());
      const bool x_first_by_id = sha256_less(x[0]->id(), y[0]->id());
      for (bool x_added_first : {true, false}) {
         fork_database db(root);
         const auto& first = x_added_first ? x[0] : y[0];
         const auto& second = x_added_first ? y[0] : x[0];
         add_all(db, {first, second});
         INFO("x first by id: " << x_first_by_id << ", x added first: " << x_added_first);
         CHECK(db.head() == first);
      }
   }
   SECTION("higher LIB beats a longer branch") {
      auto full = four_producer_chain(16);
      REQUIRE(full.back().dpos_irreversible_blocknum == 11);
      auto root = genesis_root();
      std::vector<block_state_ptr> a;
      for (std::size_t i = 1; i < full.size(); ++i)
         a.push_back(make_state(full[i]));
      auto b = unconfirming_branch(full[7], 20); // from block 8: blocks 9'..20'
      REQUIRE(b.front()->id() != a[7]->id());
      INFO("LIB of 20' = " << b.back()->dpos_irreversible_blocknum());
      REQUIRE(b.back()->block_num() > a.back()->block_num());
      REQUIRE(b.back()->dpos_irreversible_blocknum() < a.back()->dpos_irreversible_blocknum());

      fork_database db1(root); // a first, then the longer b
      add_all(db1, a);
      add_all(db1, b);
      CHECK(db1.head() == a.back());

      fork_database db2(root); // b first: a takes over once its LIB is higher
      add_all(db2, std::vector<block_state_ptr>(a.begin(), a.begin() + 7));
      add_all(db2, b);
      CHECK(db2.head() == b.back());
      for (std::size_t i = 7; i < a.size(); ++i) {
         REQUIRE(db2.add(a[i]) == fork_database::add_result::added);
         const bool better = a[i]->dpos_irreversible_blocknum() > b.back()->dpos_irreversible_blocknum();
         INFO("block " << a[i]->block_num() << " LIB " << a[i]->dpos_irreversible_blocknum());
         CHECK((db2.head() == a[i]) == better);
      }
      CHECK(db2.head() == a.back());
   }
}

TEST_CASE("fork_database: fetch_branch_pair stops at the common ancestor", "[chain]") {
   auto root = genesis_root();
   auto trunk = eosio_chain(root, 4);        // 2..5
   auto a = eosio_chain(trunk.back(), 4);    // 6..9
   auto b = eosio_chain(trunk.back(), 3, 1); // 6'..8'
   fork_database db(root);
   add_all(db, trunk);
   add_all(db, a);
   add_all(db, b);

   auto p = db.fetch_branch_pair(a[3]->id(), b[2]->id());
   CHECK(p.ancestor == trunk.back());
   CHECK(p.a == std::vector<block_state_ptr>{a[3], a[2], a[1], a[0]});
   CHECK(p.b == std::vector<block_state_ptr>{b[2], b[1], b[0]});

   auto q = db.fetch_branch_pair(b[0]->id(), a[3]->id());
   CHECK(q.ancestor == trunk.back());
   CHECK(q.a == std::vector<block_state_ptr>{b[0]});
   CHECK(q.b.size() == 4);

   auto same_branch = db.fetch_branch_pair(a[3]->id(), a[1]->id());
   CHECK(same_branch.ancestor == a[1]);
   CHECK(same_branch.a == std::vector<block_state_ptr>{a[3], a[2]});
   CHECK(same_branch.b.empty());

   auto to_root = db.fetch_branch_pair(root->id(), b[0]->id());
   CHECK(to_root.ancestor == root);
   CHECK(to_root.a.empty());
   CHECK(to_root.b.size() == 5);

   auto self = db.fetch_branch_pair(a[2]->id(), a[2]->id());
   CHECK(self.ancestor == a[2]);
   CHECK(self.a.empty());
   CHECK(self.b.empty());

   auto unknown = db.fetch_branch_pair(a[2]->id(), block_id_type{});
   CHECK(unknown.ancestor == nullptr);
}

TEST_CASE("fork_database: advance_root prunes every branch not descending from the new root", "[chain]") {
   auto root = genesis_root();
   auto main = eosio_chain(root, 9);                // 2..10
   auto off_root = eosio_chain(root, 2, 1);         // 2'..3' off the root
   auto off3 = eosio_chain(main[1], 2, 1);          // 4'..5' off block 3
   auto off6 = eosio_chain(main[4], 2, 1);          // 7'..8' off block 6
   auto off7 = eosio_chain(main[5], 1, 1);          // 8'' off block 7 (the new root): kept
   auto off8 = eosio_chain(main[6], 2, 1);          // 9'..10' off block 8: kept
   fork_database db(root);
   for (const auto* v : {&main, &off_root, &off3, &off6, &off7, &off8})
      add_all(db, *v);
   REQUIRE(db.size() == 18);
   for (std::size_t i = 0; i < 6; ++i)
      db.mark_valid(main[i]);

   const auto predicted = db.pruned_by_advance(main[5]->id());
   CHECK(db.size() == 18); // the query changes nothing
   CHECK(db.pruned_by_advance(block_id_type{}).empty());
   auto removed = db.advance_root(main[5]->id()); // block 7
   CHECK(removed == predicted);
   CHECK(db.root() == main[5]);
   std::set<block_id_type> expected;
   for (const auto* v : {&off_root, &off3, &off6})
      for (const auto& b : *v)
         expected.insert(b->id());
   CHECK(std::set<block_id_type>(removed.begin(), removed.end()) == expected);
   CHECK(removed.size() == expected.size());

   std::set<block_id_type> left;
   for (const auto* v : {&off7, &off8})
      for (const auto& b : *v)
         left.insert(b->id());
   for (std::size_t i = 6; i < main.size(); ++i)
      left.insert(main[i]->id());
   CHECK(ids_of(db.all()) == left);
   CHECK(db.size() == left.size());
   for (std::size_t i = 0; i <= 5; ++i)
      CHECK_FALSE(db.contains(main[i]->id()));
   CHECK(db.head() == main.back());
   CHECK(db.best_validated() == main[5]); // the new root: nothing after it is validated
   CHECK(db.fetch_branch(main.back()->id()).size() == 3);
   CHECK(db.search_on_branch(off8.back()->id(), 7) == main[5]);
   CHECK(db.search_on_branch(off8.back()->id(), 6) == nullptr);

   // Children of the new root can still be added to; its pruned siblings' children cannot.
   auto more = eosio_chain(main.back(), 1);
   CHECK(db.add(more[0]) == fork_database::add_result::added);
   auto orphan = eosio_chain(off6.back(), 3);
   CHECK(db.add(orphan.back()) == fork_database::add_result::unlinkable);

   CHECK(db.advance_root(block_id_type{}).empty());
   CHECK(db.root() == main[5]);
}

TEST_CASE("fork_database: remove drops the subtree and the head moves back", "[chain]") {
   auto root = genesis_root();
   auto main = eosio_chain(root, 9);          // 2..10
   auto side = eosio_chain(main[3], 3, 1);    // 6'..8' off block 5
   auto off8 = eosio_chain(main[6], 1, 1);    // 9' off block 8
   fork_database db(root);
   add_all(db, main);
   add_all(db, side);
   add_all(db, off8);
   REQUIRE(db.head() == main.back());

   auto removed = db.remove(main[5]->id()); // block 7 and everything after it on main
   std::set<block_id_type> expected{main[5]->id(), main[6]->id(), main[7]->id(), main[8]->id(), off8[0]->id()};
   CHECK(std::set<block_id_type>(removed.begin(), removed.end()) == expected);
   CHECK(removed.size() == expected.size());
   CHECK(removed.front() == main[5]->id());
   CHECK(db.size() == 5 + 3);
   CHECK(db.head() == side.back()); // block 8' beats block 6
   CHECK(db.add(main[6]) == fork_database::add_result::unlinkable);

   db.remove(side[0]->id());
   CHECK(db.head() == main[4]);
   CHECK(db.size() == 5);
   CHECK(db.remove(side[0]->id()).empty());
   CHECK(db.remove(root->id()).empty());

   // Validated blocks are preferred when the head is recomputed, unless an unvalidated one is
   // strictly better on (LIB, block_num).
   db.mark_valid(main[0]);
   db.mark_valid(main[1]);
   auto x = eosio_chain(main[1], 1, 1); // 4' unvalidated, same (LIB, num) as block 4
   REQUIRE(db.add(x[0]) == fork_database::add_result::added);
   db.remove(main[2]->id()); // blocks 4..6
   CHECK(db.best_validated() == main[1]);
   CHECK(db.head() == x[0]);
   db.remove(x[0]->id());
   CHECK(db.head() == main[1]);
   db.remove(main[0]->id());
   CHECK(db.size() == 0);
   CHECK(db.head() == root);
   CHECK(db.best_validated() == root);
}

TEST_CASE("fork_database: mark_valid moves best_validated", "[chain]") {
   auto root = genesis_root();
   auto a = eosio_chain(root, 4);          // 2..5
   auto b = eosio_chain(a[1], 2, 1);       // 4'..5'
   fork_database db(root);
   add_all(db, a);
   add_all(db, b);
   CHECK(db.best_validated() == root);
   CHECK(db.head() == a.back());

   db.mark_valid(a[0]);
   CHECK(a[0]->validated);
   CHECK(db.best_validated() == a[0]);
   db.mark_valid(a[1]);
   CHECK(db.best_validated() == a[1]);
   db.mark_valid(b[0]);
   CHECK(db.best_validated() == b[0]);
   db.mark_valid(a[2]); // same (LIB, num) as b[0]: the first validated stays
   CHECK(db.best_validated() == b[0]);
   db.mark_valid(a[3]);
   CHECK(db.best_validated() == a[3]);
   db.mark_valid(b[1]); // tie with a[3]
   CHECK(db.best_validated() == a[3]);
   CHECK(db.head() == a.back());

   auto c = eosio_chain(a[3], 1);
   REQUIRE(db.add(c[0]) == fork_database::add_result::added);
   CHECK(db.head() == c[0]);
   // Leap's add() resets best_validated to the top of the index (validated, LIB, num, id), so
   // the (LIB, num) tie between a[3] and b[1] is now broken by sha256_less.
   CHECK(db.best_validated() == (sha256_less(a[3]->id(), b[1]->id()) ? a[3] : b[1]));
   db.mark_valid(c[0]);
   CHECK(db.best_validated() == c[0]);

   // A block added already validated (e.g. produced and applied) becomes best_validated at once.
   auto d = eosio_chain(c[0], 1);
   d[0]->validated = true;
   REQUIRE(db.add(d[0]) == fork_database::add_result::added);
   CHECK(db.best_validated() == d[0]);
   CHECK(db.head() == d[0]);
}

TEST_CASE("fork_database: unlinkable_cache evicts the oldest, hands over children, prunes", "[chain]") {
   auto block = [](uint32_t num, uint32_t slot, std::string_view parent_seed) {
      auto b = std::make_shared<signed_block>();
      b->timestamp = block_timestamp{slot};
      b->previous = make_block_id(sha256(parent_seed), num - 1);
      return std::shared_ptr<const signed_block>(b);
   };
   unlinkable_cache cache;
   REQUIRE(unlinkable_cache::default_capacity == 30);
   // Slots 1000..1029 in a scrambled order; blocks numbered 100 + i.
   std::vector<std::shared_ptr<const signed_block>> blocks;
   for (uint32_t i = 0; i < 30; ++i) {
      const uint32_t slot = 1000 + (i * 7) % 30;
      blocks.push_back(block(100 + i, slot, "p" + std::to_string(i % 3)));
      cache.add(blocks.back(), blocks.back()->calculate_id());
   }
   CHECK(cache.size() == 30);
   cache.add(blocks[5], blocks[5]->calculate_id());
   CHECK(cache.size() == 30);

   // Slot 1000 is i = 0: evicted when a newer block arrives.
   auto newer = block(200, 2000, "q");
   cache.add(newer, newer->calculate_id());
   CHECK(cache.size() == 30);
   auto p0 = cache.take_children(make_block_id(sha256("p0"), 0));
   CHECK(p0.empty()); // wrong block number: a different id
   // Blocks with i % 3 == 0 share parent seed "p0" but differ in number, so each has its own parent.
   auto evicted = cache.take_children(blocks[0]->previous);
   CHECK(evicted.empty());
   auto kept = cache.take_children(blocks[3]->previous);
   REQUIRE(kept.size() == 1);
   CHECK(kept[0] == blocks[3]);
   CHECK(cache.size() == 29);
   CHECK(cache.take_children(blocks[3]->previous).empty());

   // An older block than everything cached is itself the oldest when full.
   cache.add(blocks[3], blocks[3]->calculate_id());
   REQUIRE(cache.size() == 30);
   auto oldest = block(300, 10, "r");
   cache.add(oldest, oldest->calculate_id());
   CHECK(cache.size() == 30);
   CHECK(cache.take_children(oldest->previous).empty());

   // Two children of one parent are handed over together.
   unlinkable_cache small(4);
   auto c1 = block(50, 1, "s");
   auto c2 = block(50, 2, "s");
   auto other = block(51, 3, "t");
   small.add(c1, c1->calculate_id());
   small.add(c2, c2->calculate_id());
   small.add(other, other->calculate_id());
   auto kids = small.take_children(c1->previous);
   CHECK(kids.size() == 2);
   CHECK(small.size() == 1);

   cache.prune(114); // blocks 101..114 (i = 1..14) go; 115..129 and 200 stay
   CHECK(cache.size() == 16);
   cache.prune(1000);
   CHECK(cache.size() == 0);
}

TEST_CASE("fork_database: 10,000 reversible blocks with side branches", "[chain]") {
   // Header states are derived from one signed block: producing 10,000 signatures would only
   // test the signer. Ids, numbers and LIBs are distinct and consistent with the links.
   auto root = genesis_root();
   const auto base = eosio_chain(root, 1)[0];
   auto child_of = [&](const block_state_ptr& parent, std::string_view salt) {
      auto st = std::make_shared<block_state>();
      st->bhs = base->bhs;
      st->bhs.block_num = parent->block_num() + 1;
      st->bhs.header.previous = parent->id();
      st->bhs.dpos_irreversible_blocknum = parent->block_num();
      st->bhs.id = make_block_id(sha256(parent->id().to_string() + std::string(salt)), st->bhs.block_num);
      return st;
   };
   constexpr std::size_t n = 10'000;
   fork_database db(root);
   std::vector<block_state_ptr> main{root};
   std::vector<block_state_ptr> side_tips;
   for (std::size_t i = 0; i < n; ++i) {
      main.push_back(child_of(main.back(), "m"));
      REQUIRE(db.add(main.back()) == fork_database::add_result::added);
      if (i % 100 == 50) {
         auto s = main[main.size() - 2];
         for (int k = 0; k < 5; ++k) {
            s = child_of(s, "s");
            REQUIRE(db.add(s) == fork_database::add_result::added);
         }
         side_tips.push_back(s);
      }
   }
   const std::size_t sides = side_tips.size() * 5;
   CHECK(db.size() == n + sides);
   CHECK(db.head() == main.back());
   CHECK(db.fetch_branch(main.back()->id()).size() == n);
   CHECK(db.search_on_branch(main.back()->id(), 2) == main[1]);
   auto p = db.fetch_branch_pair(main.back()->id(), side_tips.front()->id());
   CHECK(p.ancestor == main[50]);
   for (std::size_t i = 1; i <= n; i += 997)
      db.mark_valid(main[i]);
   CHECK(db.best_validated() == main[9971]);

   const auto predicted = db.pruned_by_advance(main[5000]->id());
   auto removed = db.advance_root(main[5000]->id());
   CHECK(removed.size() == 50 * 5);
   CHECK(std::set<block_id_type>(removed.begin(), removed.end()) ==
         std::set<block_id_type>(predicted.begin(), predicted.end()));
   CHECK(db.size() == n - 5000 + sides - 50 * 5);
   CHECK(db.head() == main.back());

   auto gone = db.remove(main[5001]->id()); // a 5,000-deep subtree: no recursion
   CHECK(gone.size() == n - 5000 + sides - 50 * 5);
   CHECK(db.size() == 0);
   CHECK(db.head() == main[5000]);
   CHECK(db.best_validated() == main[5000]);
}
