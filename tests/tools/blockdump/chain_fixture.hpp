#pragma once
// Signed chains built in-process in virtual time (controller + block_producer, dev key), written
// as hex lines or as a nodeos log, for the data-dir tests.
#include "blocklog/nodeos_block_log_writer.hpp"
#include "chain/block_producer.hpp"
#include "chain/controller.hpp"
#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <vector>

namespace test {

using core::operator""_n;

inline core::private_key dev_key() { return *core::private_key::from_string("5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3"); }

inline core::private_key key_for(std::string_view seed) {
   auto secret = core::sha256(seed);
   return *core::private_key::from_secret(std::span<const uint8_t, 32>(secret.data.data(), 32));
}

inline core::genesis_state dev_genesis() {
   core::genesis_state g;
   g.initial_timestamp = *core::time_point::from_string("2020-01-01T00:00:00.000");
   g.initial_key = dev_key().get_public_key();
   return g;
}

using block_ptr = std::shared_ptr<const core::signed_block>;

/// A producing node in virtual time over a memory store.
struct chain_node {
   core::memory_chain_store store;
   core::manual_chain_clock clock{dev_genesis().initial_timestamp};
   std::unique_ptr<core::controller> chain;
   std::unique_ptr<core::block_producer> producer;

   chain_node() {
      core::controller_config cfg;
      cfg.genesis = dev_genesis();
      cfg.signature_threads = 1;
      chain = std::make_unique<core::controller>(store, clock, cfg);
      chain->accepted_block.connect([this](const auto& b) {
         if (producer)
            producer->on_accepted_block(b);
      });
      REQUIRE(chain->open());
   }
   void make_producer(const std::vector<core::name>& producers, bool propose_four) {
      core::block_producer_config pc;
      for (auto p : producers)
         pc.producers.push_back({p, p == "eosio"_n ? dev_key() : key_for(p.to_string())});
      if (propose_four) {
         core::producer_schedule s;
         for (std::string_view p : {"prod.a", "prod.b", "prod.c", "prod.d"})
            s.producers.push_back({core::operator""_n(p.data(), p.size()), key_for(p).get_public_key()});
         pc.propose_schedule = s;
      }
      pc.enable_stale_production = true;
      producer = std::make_unique<core::block_producer>(*chain, pc);
   }
   std::vector<block_ptr> run_until(uint32_t slot) {
      std::vector<block_ptr> made;
      for (uint32_t s = chain->head()->timestamp().slot + 1; s <= slot; ++s) {
         clock.set(core::block_timestamp{s}.to_time_point());
         auto b = producer->on_slot(core::block_timestamp{s}, clock.now());
         REQUIRE(b);
         if (*b)
            made.push_back((*b)->block);
      }
      return made;
   }
   block_ptr produce_at(uint32_t slot) {
      clock.set(core::block_timestamp{slot}.to_time_point());
      auto b = producer->on_slot(core::block_timestamp{slot}, clock.now());
      REQUIRE(b);
      REQUIRE(*b);
      return (*b)->block;
   }
   void feed(const std::vector<block_ptr>& blocks) {
      for (const auto& b : blocks) {
         clock.set(std::max(clock.now(), b->timestamp.to_time_point()));
         auto r = chain->accept_block(b);
         REQUIRE((r.status == core::block_status::applied || r.status == core::block_status::forked));
      }
   }
};

inline uint32_t genesis_slot() { return core::block_timestamp::from_time_point(dev_genesis().initial_timestamp).slot; }

struct generated_chain {
   std::vector<block_ptr> best; ///< blocks 1..head of the best branch
   std::vector<block_ptr> fork; ///< a losing branch off the best one, above the LIB
};

/// eosio alone: blocks 1..n, LIB one behind the head.
inline generated_chain make_linear_chain(uint32_t n) {
   chain_node a;
   a.make_producer({"eosio"_n}, false);
   generated_chain g;
   g.best.push_back(std::make_shared<const core::signed_block>(dev_genesis().genesis_block()));
   auto made = a.run_until(genesis_slot() + n - 1);
   g.best.insert(g.best.end(), made.begin(), made.end());
   return g;
}

/// Bootstrap to four producers (LIB lags), then one producer forks itself: a losing branch of
/// two blocks and the winning branch of three (controller_test's fork-switch recipe).
inline generated_chain make_forked_chain() {
   chain_node seed;
   seed.make_producer({"eosio"_n, "prod.a"_n, "prod.b"_n, "prod.c"_n,
                       "prod.d"_n},
                      true);
   auto common = seed.run_until(genesis_slot() + 12 * 4 * 3);
   const uint32_t start = seed.chain->head()->timestamp().slot;
   const auto p = seed.chain->head()->bhs.scheduled_producer(core::block_timestamp{start + 1}).producer_name;
   chain_node a, b;
   a.feed(common);
   b.feed(common);
   a.make_producer({p}, false);
   b.make_producer({p}, false);
   generated_chain g;
   g.fork = {a.produce_at(start + 1), a.produce_at(start + 2)};
   g.best.push_back(std::make_shared<const core::signed_block>(dev_genesis().genesis_block()));
   g.best.insert(g.best.end(), common.begin(), common.end());
   for (uint32_t s = start + 3; s <= start + 5; ++s)
      g.best.push_back(b.produce_at(s));
   return g;
}

inline std::string hex_of(const core::signed_block& b) { return core::to_hex(core::pack(b)); }

/// One hex line per block, in the given order.
inline void write_hex_file(const std::filesystem::path& p, const std::vector<block_ptr>& blocks) {
   std::ofstream out(p);
   for (const auto& b : blocks)
      out << hex_of(*b) << '\n';
}

/// A nodeos v3 log of `blocks` (which start at block 1) in `dir`.
inline void write_nodeos_log(const std::filesystem::path& dir, const std::vector<block_ptr>& blocks) {
   auto w = core::nodeos_block_log_writer::create(dir, 1, dev_genesis());
   REQUIRE(w);
   for (const auto& b : blocks)
      REQUIRE(w->append(core::pack(*b)));
   REQUIRE(w->commit());
}

inline std::vector<block_ptr> shuffled(std::vector<block_ptr> v, uint32_t seed) {
   std::mt19937 rng(seed);
   std::shuffle(v.begin(), v.end(), rng);
   return v;
}

} // namespace test
