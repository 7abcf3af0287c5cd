// Three producing nodes as scripts/devnet.sh runs them: the bootstrap producer hands over to
// proda, prodb, prodc; every node follows the same chain; a stopped node catches up.
#include "support/devnet.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace std::chrono_literals;

namespace {

/// Max minus min head over nodes that answered; nullopt if one did not.
std::optional<uint32_t> head_spread(const std::vector<std::optional<it::node_status>>& s) {
   uint32_t lo = UINT32_MAX, hi = 0;
   for (const auto& x : s) {
      if (!x)
         return std::nullopt;
      lo = std::min(lo, x->head_num);
      hi = std::max(hi, x->head_num);
   }
   return hi - lo;
}

uint32_t min_lib(const std::vector<std::optional<it::node_status>>& s) {
   uint32_t lo = UINT32_MAX;
   for (const auto& x : s)
      lo = std::min(lo, x ? x->lib_num : 0u);
   return lo;
}

} // namespace

TEST_CASE("devnet: three nodes hand over to three producers and agree on head and LIB", "[integration][devnet]") {
   it::cluster c("devnet");
   it::configure_devnet(c, true);
   for (auto* n : c.all())
      n->start();
   const auto nodes = c.all();

   // Identity: every node on the devnet chain, with the producers it was configured with.
   {
      INFO(c.logs());
      for (auto* n : nodes) {
         auto s = n->require_status();
         CHECK(s.chain_id == it::devnet_chain_id_hex());
         CHECK(s.node_id.size() == 64);
      }
      auto p1 = c[0].require_status().producers;
      std::sort(p1.begin(), p1.end());
      CHECK(p1 == std::vector<std::string>{"eosio", "proda"});
      CHECK(c[1].require_status().producers == std::vector<std::string>{"prodb"});
      CHECK(c[2].require_status().producers == std::vector<std::string>{"prodc"});
   }

   // The bootstrap producer makes blocks, then the three scheduled producers take turns.
   IT_WAIT_REQUIRE(c.logs(), 20s, [&] { auto s = c[0].status(); return s && s->head_num >= 3; }());
   std::set<std::string> seen;
   const bool handed_over = it::wait_until(
      [&] {
         for (auto* n : nodes)
            if (auto s = n->status())
               seen.insert(s->head_producer);
         return seen.count("proda") && seen.count("prodb") && seen.count("prodc");
      },
      75s);
   if (!handed_over) {
      std::string names;
      for (const auto& p : seen)
         names += p + " ";
      FAIL("no handover to proda, prodb, prodc within 75 s; head producers seen: " << names << "\n" << c.logs());
   }
   CHECK(seen.count("eosio") == 1); // the bootstrap producer was seen before the handover
   // Every node logs the hand-over at info level: the schedule proposed, then active.
   for (auto* n : nodes) {
      INFO(n->name() << "\n" << n->log_tail(60));
      const auto log = n->log_text();
      CHECK(log.find("promoting proposed schedule") != std::string::npos);
      CHECK(log.find("producer schedule version 1: proda, prodb, prodc is active from block") != std::string::npos);
   }

   // Heads within two blocks of each other, each node connected to the other two.
   IT_WAIT_CHECK(c.logs(), 10s, [&] {
      auto spread = head_spread(it::statuses(nodes));
      return spread && *spread <= 2;
   }());
   for (auto* n : nodes)
      CHECK(n->require_status().peer_count == 2);

   // LIB advances under the three producers and is the same block on every node.
   const uint32_t lib_at_handover = c[0].require_status().lib_num;
   INFO("LIB at handover " << lib_at_handover);
   IT_WAIT_REQUIRE(c.logs(), 40s, min_lib(it::statuses(nodes)) > lib_at_handover + 1);
   const uint32_t common = min_lib(it::statuses(nodes));
   REQUIRE(common > 1);
   const auto id1 = c[0].block_id(common);
   REQUIRE(id1);
   CHECK(c[1].block_id(common) == id1);
   CHECK(c[2].block_id(common) == id1);
   // p2pctl block agrees with status on the LIB id.
   const auto s1 = c[0].require_status();
   CHECK(c[0].block_id(s1.lib_num) == std::optional<std::string>(s1.lib_id));
   CHECK(s1.lib_num <= s1.head_num);
   CHECK(s1.head_num <= s1.fork_db_head_num);

   // node3 stops for a few blocks; restarted on the same data dir, it catches up.
   const auto before_stop = c[2].require_status();
   CHECK(c[2].stop() == std::optional<int>(0));
   const uint32_t resume_from = c[0].require_status().head_num;
   IT_WAIT_REQUIRE(c.logs(), 25s, [&] { auto s = c[0].status(); return s && s->head_num >= resume_from + 10; }());
   CHECK(before_stop.head_num + 8 <= c[0].require_status().head_num); // it really falls behind
   c[2].start();
   const auto restarted = c[2].require_status();
   CHECK(restarted.lib_num >= before_stop.lib_num);
   IT_WAIT_CHECK(c.logs(), 30s, [&] {
      auto s3 = c[2].status();
      auto s1n = c[0].status();
      return s3 && s1n && s3->sync_state == "in_sync" && s3->head_num + 2 >= s1n->head_num;
   }());
   const auto after = c[2].require_status();
   CHECK(after.lib_num >= before_stop.lib_num);
   if (after.lib_num > 1)
      CHECK(c[0].block_id(after.lib_num) == std::optional<std::string>(after.lib_id));
}
