// Block-body validation (chain/block_validation) and the recovery pool: real blocks produced by
// nodeos, blocks built here with one broken rule each, and parallel vs serial recovery.
#include "chain/block_validation.hpp"
#include "chain/recovery_pool.hpp"

#include "crypto/recover.hpp"

#include "trx_test_util.hpp"

#include <atomic>
#include <map>

using namespace core;
using namespace trx_test;

namespace {

transaction_receipt receipt_for(const packed_transaction& pt) {
   transaction_receipt r;
   r.status = pt.get_transaction().delay_sec.value > 0 ? transaction_status::delayed : transaction_status::executed;
   r.cpu_usage_us = 100;
   r.net_usage_words.value = uint32_t(billable_net_usage_bytes(pt, chain_config{}) / 8);
   r.trx = pt;
   return r;
}

/// Block head_num + 1 on the synthetic branch at t0(), holding `trxs`, with a correct mroot.
signed_block make_block(const std::vector<packed_transaction>& trxs) {
   signed_block b;
   b.previous = synthetic_id(head_num);
   b.timestamp = block_timestamp::from_time_point(t0());
   b.producer = "eosio"_n;
   for (const auto& pt : trxs)
      b.transactions.push_back(receipt_for(pt));
   b.transaction_mroot = b.calculate_transaction_mroot();
   return b;
}

std::vector<packed_transaction> ten_trxs() {
   std::vector<packed_transaction> v;
   for (int i = 0; i < 10; ++i)
      v.push_back(sign(base_trx(head_num - 1, "trx " + std::to_string(i))));
   return v;
}

block_body_context synthetic_context() {
   const auto tc = test_context();
   block_body_context c;
   c.chain_id = tc.chain_id;
   c.tapos_block = tc.tapos_block;
   c.is_duplicate = tc.is_duplicate;
   return c;
}

/// Context over a real chain whose blocks are golden vectors `prefix`1..`last`.
block_body_context golden_chain_context(const std::string& prefix, int last, const std::string& chain_id_from) {
   auto ids = std::make_shared<std::map<uint32_t, block_id_type>>();
   for (int n = 2; n <= last; ++n) {
      auto b = golden_block(prefix + std::to_string(n));
      (*ids)[b.block_num()] = b.calculate_id();
      (*ids)[b.block_num() - 1] = b.previous;
   }
   block_body_context c;
   c.chain_id = golden_checksum(chain_id_from, "chain_id");
   c.tapos_block = [ids](uint32_t n) -> std::optional<block_id_type> {
      auto it = ids->find(n);
      if (it == ids->end())
         return std::nullopt;
      return it->second;
   };
   return c;
}

} // namespace

TEST_CASE("block_validation: real nodeos blocks with signed transactions validate", "[chain]") {
   recovery_pool pool(4);
   struct chain {
      std::string prefix;
      int last;
      std::vector<int> blocks;
   };
   for (const auto& ch : {chain{"real_testchain_deepmind_block_", 5, {3, 4}},
                          chain{"real_blocklog_snapshots_block_", 3, {2, 3}}}) {
      for (int n : ch.blocks) {
         const std::string name = ch.prefix + std::to_string(n);
         INFO(name);
         const auto ctx = golden_chain_context(ch.prefix, ch.last, name);
         const auto b = golden_block(name);
         auto r = validate_block_body(b, ctx, pool);
         if (!r)
            FAIL(r.error().to_string());
         REQUIRE(r->size() == b.transactions.size());
         for (std::size_t i = 0; i < b.transactions.size(); ++i) {
            const auto& pt = std::get<packed_transaction>(b.transactions[i].trx);
            CHECK((*r)[i].id == pt.id());
            CHECK((*r)[i].expiration == pt.get_transaction().expiration);
         }

         {  // the same block two hours later: its transactions have expired
            auto late = b;
            late.timestamp.slot += 2 * 3600 * 2;
            auto e = validate_block_body(late, ctx, pool);
            REQUIRE(!e);
            CHECK(e.error().code == block_errc::bad_transaction);
            CHECK(e.error().trx_code == trx_errc::expired);
            CHECK(e.error().receipt_index == std::size_t(0));
         }
      }
   }
}

TEST_CASE("block_validation: a built block of 10 transactions validates", "[chain]") {
   recovery_pool pool(3);
   const auto b = make_block(ten_trxs());
   auto r = validate_block_body(b, synthetic_context(), pool);
   if (!r)
      FAIL(r.error().to_string());
   CHECK(r->size() == 10);
}

TEST_CASE("block_validation: each rule rejects", "[chain]") {
   recovery_pool pool(2);
   const auto ctx = synthetic_context();
   auto trxs = ten_trxs();

   SECTION("transaction_mroot") {
      auto b = make_block(trxs);
      b.transactions[4].cpu_usage_us += 1;
      auto r = validate_block_body(b, ctx, pool);
      REQUIRE(!r);
      CHECK(r.error().code == block_errc::transaction_mroot_mismatch);
   }
   SECTION("block size vs max_block_net_usage") {
      auto b = make_block(trxs);
      auto small = ctx;
      small.config.max_block_net_usage = pack(b).size();
      CHECK(validate_block_body(b, small, pool));
      small.config.max_block_net_usage -= 1;
      auto r = validate_block_body(b, small, pool);
      REQUIRE(!r);
      CHECK(r.error().code == block_errc::block_too_large);
   }
   SECTION("duplicate id within the block") {
      trxs.push_back(trxs[2]);
      auto r = validate_block_body(make_block(trxs), ctx, pool);
      REQUIRE(!r);
      CHECK(r.error().code == block_errc::duplicate_transaction);
      CHECK(r.error().receipt_index == std::size_t(10));
   }
   SECTION("duplicate of an earlier block") {
      auto dup = ctx;
      dup.is_duplicate = [id = trxs[7].id()](const transaction_id_type& x, time_point_sec) { return x == id; };
      auto r = validate_block_body(make_block(trxs), dup, pool);
      REQUIRE(!r);
      CHECK(r.error().trx_code == trx_errc::duplicate);
      CHECK(r.error().receipt_index == std::size_t(7));
   }
   SECTION("bad signature in one transaction names its receipt") {
      auto t = base_trx(head_num - 1, "bad sig");
      auto pt = sign(t);
      std::get<signature::k1>(pt.signatures[0].storage).data[0] = 0; // header byte out of range
      trxs[5] = packed_transaction::make(t, pt.signatures);
      auto r = validate_block_body(make_block(trxs), ctx, pool);
      REQUIRE(!r);
      CHECK(r.error().code == block_errc::bad_transaction);
      CHECK(r.error().trx_code == trx_errc::invalid_signature);
      CHECK(r.error().receipt_index == std::size_t(5));
      CHECK(r.error().to_string().rfind("receipt 5: bad_transaction/invalid_signature", 0) == 0);
   }
   SECTION("expired / TAPO against the block") {
      auto t = base_trx(head_num - 1, "old");
      t.expiration.secs = uint32_t(t0().us / 1'000'000 - 1);
      trxs[1] = sign(t);
      auto u = base_trx(head_num - 1, "fork");
      u.ref_block_prefix += 1;
      trxs[3] = sign(u);
      auto r = validate_block_body(make_block(trxs), ctx, pool);
      REQUIRE(!r);
      CHECK(r.error().trx_code == trx_errc::expired);
      CHECK(r.error().receipt_index == std::size_t(1));
      trxs[1] = sign(base_trx(head_num - 1, "fresh"));
      r = validate_block_body(make_block(trxs), ctx, pool);
      REQUIRE(!r);
      CHECK(r.error().trx_code == trx_errc::tapos_mismatch);
      CHECK(r.error().receipt_index == std::size_t(3));
   }
   SECTION("receipt net_usage_words and status must be what Leap bills") {
      auto b = make_block(trxs);
      b.transactions[6].net_usage_words.value += 1;
      b.transaction_mroot = b.calculate_transaction_mroot();
      auto r = validate_block_body(b, ctx, pool);
      REQUIRE(!r);
      CHECK(r.error().code == block_errc::receipt_mismatch);
      CHECK(r.error().receipt_index == std::size_t(6));

      auto s = make_block(trxs);
      s.transactions[2].status = transaction_status::delayed;
      s.transaction_mroot = s.calculate_transaction_mroot();
      r = validate_block_body(s, ctx, pool);
      REQUIRE(!r);
      CHECK(r.error().code == block_errc::receipt_mismatch);
   }
   SECTION("summed net usage of the block is limited by max_block_net_usage") {
      // A deferred receipt bills many words for few bytes, so the billed sum can pass the limit
      // while the packed block does not.
      auto tight = ctx;
      auto b = make_block(trxs);
      transaction_receipt deferred;
      deferred.net_usage_words.value = 200;
      deferred.trx = sha256(std::string_view("deferred"));
      b.transactions.insert(b.transactions.begin(), deferred);
      b.transaction_mroot = b.calculate_transaction_mroot();
      uint64_t sum = 0;
      for (const auto& rc : b.transactions)
         sum += rc.net_usage_words.value * 8;
      tight.config.max_block_net_usage = sum - 8;
      REQUIRE(pack(b).size() <= tight.config.max_block_net_usage);
      auto r = validate_block_body(b, tight, pool);
      REQUIRE(!r);
      CHECK(r.error().trx_code == trx_errc::block_net_exceeded);
      CHECK(r.error().receipt_index == std::size_t(10));
      tight.config.max_block_net_usage = sum;
      CHECK(validate_block_body(b, tight, pool));
   }
}

TEST_CASE("block_validation: deferred receipts (id only) are skipped", "[chain]") {
   recovery_pool pool(2);
   auto trxs = ten_trxs();
   auto b = make_block(trxs);
   transaction_receipt deferred;
   deferred.status = transaction_status::executed;
   deferred.net_usage_words.value = 4;
   deferred.trx = sha256(std::string_view("a deferred transaction"));
   b.transactions.insert(b.transactions.begin() + 3, deferred);
   b.transaction_mroot = b.calculate_transaction_mroot();
   auto r = validate_block_body(b, synthetic_context(), pool);
   if (!r)
      FAIL(r.error().to_string());
   CHECK(r->size() == 10);
}

TEST_CASE("recovery_pool: 10,000 recoveries equal serial recovery", "[chain]") {
   std::vector<signature> sigs;
   std::vector<recovery_request> reqs;
   std::vector<private_key> keys;
   for (int k = 0; k < 16; ++k)
      keys.push_back(key_for("pool-" + std::to_string(k)));
   sigs.reserve(10'000);
   for (int i = 0; i < 10'000; ++i) {
      const auto d = sha256("digest-" + std::to_string(i));
      sigs.push_back(keys[i % keys.size()].sign(d));
      reqs.push_back({&sigs.back(), d});
   }
   // A few failures in the batch stay in place.
   sigs[17] = signature{};
   sigs[9'999] = signature{};

   recovery_pool pool(0);
   CHECK(pool.size() >= 1);
   const auto par = pool.recover(reqs);
   REQUIRE(par.size() == reqs.size());
   std::size_t mismatches = 0;
   for (std::size_t i = 0; i < reqs.size(); ++i) {
      const auto ser = recover_key(*reqs[i].sig, reqs[i].digest);
      if (ser.has_value() != par[i].has_value() || (ser && *ser != *par[i]))
         ++mismatches;
   }
   CHECK(mismatches == 0);
   CHECK(!par[17]);
   CHECK(!par[9'999]);
   CHECK(*par[18] == keys[18 % keys.size()].get_public_key());
}

TEST_CASE("recovery_pool: submit, nested recover and shutdown", "[chain]") {
   recovery_pool pool(2);
   CHECK(pool.size() == 2);
   auto f = pool.submit([] { return 6 * 7; });
   CHECK(f.get() == 42);

   auto thrown = pool.submit([]() -> int { throw std::runtime_error("boom"); });
   CHECK_THROWS_AS(thrown.get(), std::runtime_error);

   // recover() from inside every worker at once must not deadlock: callers do the work themselves.
   const auto d = sha256(std::string_view("nested"));
   const auto sig = dev_key().sign(d);
   std::vector<recovery_request> reqs(64, recovery_request{&sig, d});
   std::vector<std::future<bool>> futs;
   for (int i = 0; i < 4; ++i)
      futs.push_back(pool.submit([&] {
         auto r = pool.recover(reqs);
         return std::all_of(r.begin(), r.end(), [&](const auto& k) { return k && *k == dev_key().get_public_key(); });
      }));
   for (auto& fu : futs)
      CHECK(fu.get());

   std::atomic<int> ran{0};
   {
      recovery_pool p(1);
      for (int i = 0; i < 50; ++i)
         p.submit([&] { ran.fetch_add(1); });
   } // destructor drains the queue
   CHECK(ran.load() == 50);
   CHECK(pool.recover({}).empty());
}
