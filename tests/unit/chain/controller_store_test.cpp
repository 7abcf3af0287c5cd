// The controller when its store stops writing: blocks refused (unavailable) and not produced,
// nothing committed twice or lost, and everything waiting committed by a successful retry.
#include "chain/block_producer.hpp"
#include "chain/controller.hpp"

#include "support/test_keys.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

using namespace core;

namespace {

/// memory_chain_store whose writes fail while `full` (as a full disk's would), and whose
/// recover() fails while `still_full`.
class failing_store final : public chain_store {
public:
   bool full = false;
   bool still_full = false;
   int failed_writes = 0;
   memory_chain_store inner;

   std::optional<chain_metadata> metadata() const override { return inner.metadata(); }
   result<bool> initialize(const chain_metadata& m, const block_state& g) override { return inner.initialize(m, g); }
   std::optional<block_header_state> lib_state() const override { return inner.lib_state(); }
   uint32_t first_block_num() const override { return inner.first_block_num(); }
   uint32_t lib_num() const override { return inner.lib_num(); }
   std::shared_ptr<const signed_block> block_by_num(uint32_t n) const override { return inner.block_by_num(n); }
   std::optional<block_id_type> id_by_num(uint32_t n) const override { return inner.id_by_num(n); }
   std::optional<uint32_t> num_by_id(const block_id_type& id) const override { return inner.num_by_id(id); }
   void put_reversible(const block_state& b) override { inner.put_reversible(b); }
   std::vector<block_state_ptr> load_reversible() const override { return inner.load_reversible(); }
   result<bool> commit_lib(const lib_commit& c) override {
      if (full) {
         ++failed_writes;
         return unexpected{std::string("commit_lib: write: IO error: No space left on device")};
      }
      return inner.commit_lib(c);
   }
   result<bool> recover() override {
      if (still_full)
         return unexpected{std::string("reopen: IO error: No space left on device")};
      full = false;
      return true;
   }
   bool has_transaction(const transaction_id_type& id, time_point_sec e) const override { return inner.has_transaction(id, e); }
};

struct chain_on {
   chain_store& store;
   manual_chain_clock clock{test::dev_genesis().initial_timestamp};
   std::unique_ptr<controller> chain;
   std::vector<std::string> events;

   explicit chain_on(chain_store& s) : store(s) {
      controller_config cfg;
      cfg.genesis = test::dev_genesis();
      cfg.signature_threads = 1;
      chain = std::make_unique<controller>(store, clock, cfg);
      chain->irreversible_block.connect([this](const auto& b) { events.push_back(fmt::format("irr:{}", b->block_num())); });
      chain->store_state_changed.connect([this](const auto& f) { events.push_back(f ? "store:down" : "store:up"); });
      REQUIRE(chain->open());
   }
};

uint32_t genesis_slot() { return block_timestamp::from_time_point(test::dev_genesis().initial_timestamp).slot; }

/// eosio producing on `c` (stale production on), fed every block `c` accepts.
std::unique_ptr<block_producer> eosio_producer(chain_on& c) {
   block_producer_config pc;
   pc.producers.push_back({"eosio"_n, test::dev_key()});
   pc.enable_stale_production = true;
   auto prod = std::make_unique<block_producer>(*c.chain, pc);
   c.chain->accepted_block.connect([p = prod.get()](const block_state_ptr& b) { p->on_accepted_block(b); });
   return prod;
}

/// Blocks 2..n+1 produced by eosio on a chain of their own.
std::vector<block_state_ptr> produce(uint32_t n) {
   memory_chain_store s;
   chain_on p(s);
   auto prod = eosio_producer(p);
   std::vector<block_state_ptr> out;
   for (uint32_t slot = genesis_slot() + 1; out.size() < n; ++slot) {
      p.clock.set(block_timestamp{slot}.to_time_point());
      auto b = prod->on_slot(block_timestamp{slot}, p.clock.now());
      REQUIRE(b);
      if (*b)
         out.push_back(*b);
   }
   return out;
}

block_status offer(chain_on& n, const block_state_ptr& b) {
   n.clock.set(std::max(n.clock.now(), b->timestamp().to_time_point()));
   return n.chain->accept_block(b->block).status;
}

} // namespace

TEST_CASE("controller store: a failed LIB commit stops acceptance, and a retry commits what waited", "[chain]") {
   const auto blocks = produce(12); // blocks 2..13; each block's LIB is its parent
   failing_store store;
   chain_on f(store);
   for (int i = 0; i < 5; ++i) // blocks 2..6
      REQUIRE(offer(f, blocks[i]) == block_status::applied);
   REQUIRE(f.chain->last_irreversible_block_num() == 5);

   store.full = true;
   // Block 7 is applied, but the LIB advance it brings cannot be written.
   CHECK(offer(f, blocks[5]) == block_status::applied);
   REQUIRE(f.chain->store_fault());
   CHECK(f.chain->store_fault()->error.find("No space left on device") != std::string::npos);
   CHECK(f.chain->last_irreversible_block_num() == 5);
   CHECK(store.lib_num() == 5);
   CHECK(f.events.back() == "store:down");
   CHECK(std::count(f.events.begin(), f.events.end(), "irr:6") == 0); // not irreversible until written

   // Meanwhile blocks are refused unjudged, and the store is not written again.
   const int writes = store.failed_writes;
   auto r = f.chain->accept_block(blocks[6]->block);
   CHECK(r.status == block_status::unavailable);
   CHECK(r.error.find("the store cannot write") != std::string::npos);
   CHECK(f.chain->head()->block_num() == 7);
   CHECK(store.failed_writes == writes);

   // A retry while the store still cannot write keeps the fault.
   store.still_full = true;
   CHECK_FALSE(f.chain->retry_store());
   REQUIRE(f.chain->store_fault());
   CHECK(f.chain->store_fault()->retries == 1);
   CHECK(f.chain->store_fault()->error.find("reopen") != std::string::npos);

   // Space is back: the waiting advance is committed, each block made irreversible once.
   store.still_full = false;
   REQUIRE(f.chain->retry_store());
   CHECK_FALSE(f.chain->store_fault());
   CHECK(f.events.back() == "store:up");
   CHECK(f.chain->last_irreversible_block_num() == 6);
   CHECK(store.lib_num() == 6);
   CHECK(std::count(f.events.begin(), f.events.end(), "irr:6") == 1);
   for (std::size_t i = 6; i < blocks.size(); ++i)
      CHECK(offer(f, blocks[i]) == block_status::applied);
   CHECK(f.chain->last_irreversible_block_num() == 12);
   CHECK(store.id_by_num(12) == blocks[10]->id());
   CHECK(f.chain->retry_store()); // nothing to retry
}

TEST_CASE("controller store: nothing is produced while the store is suspended", "[chain]") {
   memory_chain_store s;
   chain_on n(s);
   auto prod = eosio_producer(n);
   auto at = [&](uint32_t slot) {
      n.clock.set(block_timestamp{slot}.to_time_point());
      return prod->on_slot(block_timestamp{slot}, n.clock.now());
   };
   REQUIRE(at(genesis_slot() + 1));
   REQUIRE(n.chain->head()->block_num() == 2);

   n.chain->suspend_store("/data is 95.0% used, above resource-monitor-space-threshold (90%)");
   auto b = at(genesis_slot() + 2);
   REQUIRE_FALSE(b);
   CHECK(b.error().find("resource-monitor-space-threshold") != std::string::npos);
   CHECK(n.chain->head()->block_num() == 2);
   CHECK(n.events.back() == "store:down");

   REQUIRE(n.chain->retry_store());
   auto c = at(genesis_slot() + 3);
   REQUIRE(c);
   REQUIRE(*c);
   CHECK(n.chain->head()->block_num() == 3);
   CHECK(n.chain->last_irreversible_block_num() == 2);
}
