// The partition test on Savanna: the devnet (node1 proda, node2 prodb, node3 prodc; node3 holds
// the only links between itself and the others) switches to Savanna with the three nodes as
// finalizers and threshold 2. node3 then drops its links: node1 and node2 (two votes) keep
// finalising, node3 alone (one vote) produces in its slots but finalises nothing new. After
// node3 reconnects every node is on one head, the LIB moves again, and no block any node
// reported as its LIB, before, during or after the split, was reverted.
#include "support/savanna.hpp"

#include <catch2/catch.hpp>

#include <iostream>
#include <map>
#include <sstream>

using namespace std::chrono_literals;

namespace {

/// Every LIB (height and id) each node reported; two ids at one height are a reverted final block.
struct lib_history {
   std::map<uint32_t, std::string> ids;
   std::vector<std::string> conflicts;
   std::size_t samples = 0;

   void sample(const std::vector<it::node_process*>& nodes) {
      for (auto* n : nodes) {
         auto s = n->status();
         if (!s || s->lib_num == 0)
            continue;
         ++samples;
         auto [it, fresh] = ids.emplace(s->lib_num, s->lib_id);
         if (!fresh && it->second != s->lib_id)
            conflicts.push_back(n->name() + " reported LIB " + std::to_string(s->lib_num) + " " + s->lib_id +
                                ", seen before as " + it->second);
      }
   }
};

} // namespace

TEST_CASE("savanna partition: the minority finalises nothing, and on healing all nodes converge with no "
          "final block reverted",
          "[integration][partition][savanna]") {
   it::cluster c("savanna-partition");
   it::start_savanna_devnet(c);
   const auto nodes = c.all();
   lib_history libs;
   auto lib_of = [&](int i) {
      auto s = c[i].status();
      return s ? s->lib_num : 0u;
   };

   it::wait_for_handover(c);
   it::activate_savanna(nodes, {1, 2, 3}, 2);
   IT_WAIT_REQUIRE(c.logs(), 60s, (libs.sample(nodes), it::savanna_final(nodes)));
   const uint32_t lib_savanna = c[0].require_status().lib_num;
   IT_WAIT_REQUIRE(c.logs(), 20s, (libs.sample(nodes), lib_of(0) >= lib_savanna + 6 && lib_of(2) >= lib_savanna + 6));

   // Split: node3 drops both its links.
   it::set_links(c[2], {&c[0], &c[1]}, false);
   IT_WAIT_REQUIRE(c.logs(), 10s, [&] {
      libs.sample(nodes);
      auto s1 = c[0].status(), s3 = c[2].status();
      return s1 && s3 && s1->peer_count == 1 && s3->peer_count == 0;
   }());
   const auto split3 = c[2].require_status();
   const uint32_t lib1_split = c[0].require_status().lib_num;

   // node3 produces its own blocks; the first may still carry a QC it aggregated before the
   // split, after that its LIB stays where it is.
   IT_WAIT_REQUIRE(c.logs(), 45s, [&] {
      libs.sample(nodes);
      auto s3 = c[2].status();
      return s3 && s3->head_producer == "prodc" && s3->head_num >= split3.head_num + 2;
   }());
   const uint32_t lib3_frozen = c[2].require_status().lib_num;
   CHECK(lib3_frozen <= split3.lib_num + 3);
   // Until node3 made 8 blocks and node1 finalised 8 more and is as high as node3 (the majority
   // produces nothing in prodc's slots, so during them node3's fork can be the longer one).
   it::node_status minority, majority;
   IT_WAIT_REQUIRE(c.logs(), 60s, [&] {
      libs.sample(nodes);
      auto s3 = c[2].status();
      auto s1 = c[0].status();
      if (!s3 || !s1 || s3->head_num < split3.head_num + 8 || s1->lib_num < lib1_split + 8 || s1->head_num < s3->head_num)
         return false;
      minority = *s3;
      majority = *s1;
      return true;
   }());
   INFO("minority head " << minority.head_num << " " << minority.head_id << ", LIB " << minority.lib_num);
   CHECK(minority.lib_num == lib3_frozen); // no finality alone
   CHECK(minority.peer_count == 0);         // still apart
   // The majority finalised on: its LIB passed node3's frozen one.
   CHECK(majority.lib_num > lib3_frozen + 4);
   const auto majority_id = c[0].block_id(minority.head_num);
   REQUIRE(majority_id);
   CHECK(*majority_id != minority.head_id); // two forks

   // Heal.
   it::set_links(c[2], {&c[0], &c[1]}, true);
   IT_WAIT_REQUIRE(c.logs(), 45s, [&] {
      libs.sample(nodes);
      auto s3 = c[2].status();
      return s3 && s3->peer_count == 2 && it::converged(nodes, minority.head_num);
   }());
   // The majority's branch won: node3's blocks after its frozen LIB were never final anywhere.
   CHECK(c[2].block_id(minority.head_num) == majority_id);

   // Finality moves again on every node, past everything the split produced.
   const uint32_t past = std::max(majority.head_num, minority.head_num) + 4;
   IT_WAIT_REQUIRE(c.logs(), 45s, (libs.sample(nodes), lib_of(0) >= past && lib_of(1) >= past && lib_of(2) >= past));
   IT_WAIT_REQUIRE(c.logs(), 10s, (libs.sample(nodes), it::savanna_final(nodes)));

   // No final block reverted: each LIB any node reported has one id, and it is on every chain.
   std::ostringstream conflicts;
   for (const auto& s : libs.conflicts)
      conflicts << s << "\n";
   INFO(conflicts.str());
   CHECK(libs.conflicts.empty());
   INFO(libs.ids.size() << " LIB heights in " << libs.samples << " samples");
   CHECK(libs.ids.size() >= 20);
   for (const auto& [num, id] : libs.ids)
      for (auto* n : nodes) {
         INFO(n->name() << " block " << num);
         CHECK(n->block_id(num) == id);
      }
   for (auto* n : nodes)
      CHECK(n->require_status().sync_state == "in_sync");
   std::cout << "savanna partition: split at head " << split3.head_num << " LIB " << split3.lib_num
             << "; node3 alone produced to " << minority.head_num << " with LIB frozen at " << lib3_frozen
             << "; node1 finalised to " << majority.lib_num << "; " << libs.ids.size() << " LIB heights in "
             << libs.samples << " samples agree after healing\n";
}
