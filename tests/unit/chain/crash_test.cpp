// Crash safety of production: a producer process (chain_crash_producer) is SIGKILLed at random
// moments; after each kill the store opens, passes verify_integrity, its LIB never goes back,
// and a controller resumes production on the restored head.
#include "chain/block_producer.hpp"
#include "chain/controller.hpp"
#include "types/devnet.hpp"
#include "store/rocksdb_chain_store.hpp"

#include "spawn_ready.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace core;

namespace {

/// Wall-clock budget of the whole test (kills, reopens, resumptions).
constexpr auto test_budget = std::chrono::seconds(20);
constexpr int min_kills = 10;

/// Starts the producer and returns once it has opened the chain; -1 when it failed first.
pid_t spawn_producer(const std::filesystem::path& dir) { return core::test::spawn_ready(CHAIN_CRASH_PRODUCER, {dir.string()}); }

} // namespace

TEST_CASE("crash: kill -9 during production, reopen is consistent and resumes", "[chain][crash]") {
   const auto dir = std::filesystem::temp_directory_path() / fmt::format("chain-crash-{}", ::getpid());
   std::filesystem::remove_all(dir);
   std::mt19937 rng(Catch::rngSeed());
   std::uniform_int_distribution<int> delay_ms(20, 400);
   const auto key = private_key::from_string(devnet_private_key_wif).value();

   const auto start = std::chrono::steady_clock::now();
   uint32_t last_lib = 0;
   int kills = 0;
   while (kills < min_kills || std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
      if (std::chrono::steady_clock::now() - start > test_budget)
         break;
      const pid_t pid = spawn_producer(dir);
      REQUIRE(pid > 0);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
      REQUIRE(::kill(pid, SIGKILL) == 0);
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      REQUIRE(WIFSIGNALED(status)); // it was still producing, not failed
      ++kills;
      INFO("after kill " << kills);

      auto store = rocksdb_chain_store::open(dir);
      REQUIRE(store);
      if (!(*store)->metadata())
         continue; // killed before initialisation finished: nothing was committed
      auto integrity = (*store)->verify_integrity();
      INFO((integrity ? std::string() : integrity.error()));
      REQUIRE(integrity);
      const uint32_t lib = (*store)->lib_num();
      CHECK(lib >= last_lib);
      last_lib = lib;

      manual_chain_clock clock(devnet_genesis().initial_timestamp);
      controller_config cfg;
      cfg.genesis = devnet_genesis();
      cfg.signature_threads = 1;
      controller chain(**store, clock, cfg);
      auto opened = chain.open();
      INFO((opened ? std::string() : opened.error()));
      REQUIRE(opened);
      CHECK(chain.last_irreversible_block_num() == lib);
      const auto restored = chain.head();
      REQUIRE(restored->block_num() >= lib);
      block_producer producer(chain, {.producers = {{"eosio"_n, key}}, .propose_schedule = {}, .enable_stale_production = true, .activate_savanna = {}});
      for (uint32_t i = 1; i <= 3; ++i) {
         const auto slot = block_timestamp{chain.head()->timestamp().slot + 1};
         clock.set(slot.to_time_point());
         auto b = producer.on_slot(slot, clock.now());
         REQUIRE(b);
         REQUIRE(*b);
         if (i == 1)
            CHECK((*b)->previous() == restored->id());
      }
      CHECK(chain.head()->block_num() == restored->block_num() + 3);
      CHECK(chain.last_irreversible_block_num() >= lib);
      last_lib = (*store)->lib_num();
   }
   CHECK(kills >= min_kills);
   CHECK(last_lib > 20); // production made progress across the kills
   std::filesystem::remove_all(dir);
}
