// The devnet as scripts/devnet.sh runs it, switched to Savanna: three producing nodes hand over
// from eosio to proda, prodb, prodc on legacy DPoS, then `p2pctl activate-savanna` makes the
// next block the Savanna genesis with the three nodes as finalizers. Every node then votes,
// the producers aggregate the votes into QCs, and the LIB stays within 4 blocks of the head on
// every node, the same block everywhere. Prints the LIB lag figure (blocks and ms) under DPoS
// and Savanna.
#include "support/savanna.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <thread>

using namespace std::chrono_literals;

namespace {

using it::raw_status;

struct lag_sample {
   uint64_t blocks = 0, ms = 0;
};

std::string percentiles(std::vector<uint64_t> v) {
   if (v.empty())
      return "-";
   std::sort(v.begin(), v.end());
   return fmt::format("median {} p90 {} max {} (n={})", v[v.size() / 2], v[v.size() * 9 / 10], v.back(), v.size());
}

} // namespace

TEST_CASE("savanna devnet: the DPoS devnet switches to Savanna, finalises, and keeps LIB within 4 blocks of head",
          "[integration][devnet][savanna]") {
   it::cluster c("savanna-devnet");
   it::start_savanna_devnet(c);
   const auto nodes = c.all();

   // Legacy DPoS first: the hand-over to the three producers.
   it::wait_for_handover(c);
   std::vector<uint64_t> dpos_blocks, dpos_ms;
   for (int i = 0; i < 5; ++i) {
      for (auto* n : nodes)
         if (auto s = raw_status(*n)) {
            dpos_blocks.push_back(it::uint_member(*s, "lib_lag_blocks"));
            dpos_ms.push_back(it::uint_member(*s, "lib_lag_ms"));
            CHECK(it::str_member(*s, "consensus") == "dpos");
         }
      std::this_thread::sleep_for(200ms);
   }

   // The switch: every producing node is asked; the first to produce makes the Savanna genesis.
   it::activate_savanna(nodes, {1, 2, 3});

   // Savanna on every node, with strong QCs and a LIB close to the head.
   IT_WAIT_REQUIRE(c.logs(), 60s, it::savanna_final(nodes));
   // Asking again is refused: the chain is Savanna now.
   auto again = c[0].ctl({"activate-savanna", it::devnet_finalizer(1), it::devnet_finalizer(2), it::devnet_finalizer(3)});
   CHECK(again.rc == 1);
   CHECK((again.out + again.err).find("already Savanna") != std::string::npos);

   // For 15 s: every node's LIB within 4 blocks of its head, the LIB moving on.
   std::vector<uint64_t> sv_blocks, sv_ms;
   const uint32_t lib_before = c[0].require_status().lib_num;
   const auto until = std::chrono::steady_clock::now() + 15s;
   while (std::chrono::steady_clock::now() < until) {
      for (auto* n : nodes) {
         auto s = raw_status(*n);
         INFO(n->name());
         REQUIRE(s);
         const auto lag = it::uint_member(*s, "lib_lag_blocks", 999);
         CHECK(lag <= 4);
         sv_blocks.push_back(lag);
         sv_ms.push_back(it::uint_member(*s, "lib_lag_ms"));
      }
      std::this_thread::sleep_for(250ms);
   }
   INFO(c.logs());
   const auto s1 = c[0].require_status();
   CHECK(s1.lib_num >= lib_before + 20); // 15 s is 30 blocks
   // The same LIB block on every node, and every node voted and heard the others' votes.
   uint32_t common = UINT32_MAX;
   for (auto* n : nodes)
      common = std::min(common, n->require_status().lib_num);
   const auto id = c[0].block_id(common);
   REQUIRE(id);
   CHECK(c[1].block_id(common) == id);
   CHECK(c[2].block_id(common) == id);
   for (auto* n : nodes) {
      auto s = raw_status(*n);
      REQUIRE(s);
      INFO(n->name());
      CHECK(it::uint_member(*s, "finalizer_keys") == 1);
      CHECK(it::uint_member(*s, "votes_sent") >= 20);
      CHECK(it::uint_member(*s, "votes_received") >= 20);
      CHECK(it::uint_member(*s, "votes_counted") >= 1);
   }
   // The figure (shared machine; block time 500 ms).
   std::cout << "figure: LIB lag on the devnet, DPoS after the hand-over: blocks " << percentiles(dpos_blocks)
             << "; ms " << percentiles(dpos_ms) << "\n"
             << "figure: LIB lag on the devnet, Savanna: blocks " << percentiles(sv_blocks) << "; ms "
             << percentiles(sv_ms) << "\n";
}
