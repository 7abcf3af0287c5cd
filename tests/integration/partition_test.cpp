// Producers split by `p2pctl disconnect`: both sides keep producing on their own forks; after
// `p2pctl connect` every node converges on one head and the same LIB.
#include "support/devnet.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

TEST_CASE("partition: producers split and rejoin, all nodes converge on one head and LIB", "[integration][partition]") {
   // node3 holds the only links between {node1, node2} and itself, so the test controls the split.
   it::cluster c("partition");
   it::configure_devnet(c, true);
   for (auto* n : c.all())
      n->start();
   const auto nodes = c.all();
   auto min_lib = [&] {
      uint32_t lo = UINT32_MAX;
      for (auto* n : nodes) {
         auto s = n->status();
         lo = std::min(lo, s ? s->lib_num : 0u);
      }
      return lo;
   };

   it::wait_for_handover(c);
   const uint32_t lib_handover = c[0].require_status().lib_num;
   IT_WAIT_REQUIRE(c.logs(), 40s, min_lib() > lib_handover);

   // Split: node3 drops both its outbound links.
   it::set_links(c[2], {&c[0], &c[1]}, false);
   IT_WAIT_REQUIRE(c.logs(), 10s, [&] {
      auto s1 = c[0].status(), s3 = c[2].status();
      return s1 && s3 && s1->peer_count == 1 && s3->peer_count == 0;
   }());
   const uint32_t split_head = c[0].require_status().head_num;
   const uint32_t split_lib = min_lib();

   // Both sides produce: node3 (prodc) its own blocks, node1/node2 (proda, prodb) theirs.
   IT_WAIT_REQUIRE(c.logs(), 45s, [&] {
      auto s3 = c[2].status();
      auto s1 = c[0].status();
      return s3 && s1 && s3->head_producer == "prodc" && s3->head_num >= split_head + 2 &&
             s1->head_num >= s3->head_num && s1->head_num >= split_head + 6;
   }());
   const auto minority = c[2].require_status();
   const auto majority_id = c[0].block_id(minority.head_num);
   INFO("minority head " << minority.head_num << " " << minority.head_id);
   REQUIRE(majority_id);
   CHECK(*majority_id != minority.head_id); // two forks
   CHECK(c[2].require_status().peer_count == 0);                        // still apart

   // Rejoin.
   it::set_links(c[2], {&c[0], &c[1]}, true);
   // One side left its fork: the block at the fork height is the same everywhere.
   IT_WAIT_REQUIRE(c.logs(), 30s, [&] {
      auto s3 = c[2].status();
      return s3 && s3->peer_count == 2 && it::converged(nodes, minority.head_num);
   }());
   // Either fork may win (Leap orders by dpos LIB first, then block number); it is one of the two.
   const auto winner = c[0].block_id(minority.head_num);
   CHECK((winner == majority_id || winner == std::optional<std::string>(minority.head_id)));

   // LIB moves again past the split and is the same block everywhere.
   IT_WAIT_REQUIRE(c.logs(), 45s, min_lib() > std::max(split_lib, minority.head_num));
   const uint32_t common = min_lib();
   const auto id = c[0].block_id(common);
   REQUIRE(id);
   CHECK(c[1].block_id(common) == id);
   CHECK(c[2].block_id(common) == id);
   for (auto* n : nodes)
      CHECK(n->require_status().sync_state == "in_sync");
}
