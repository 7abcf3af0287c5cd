// The devnet as scripts/devnet.sh runs it, switched to Savanna: three producing nodes hand over
// from eosio to proda, prodb, prodc on legacy DPoS, then `p2pctl activate-savanna` makes the
// next block the Savanna genesis with the three nodes as finalizers. Every node then votes,
// the producers aggregate the votes into QCs, and the LIB stays within 4 blocks of the head on
// every node, the same block everywhere. Prints the LIB lag figure (blocks and ms) under DPoS
// and Savanna.
#include "support/devnet.hpp"

#include "crypto/bls/private_key.hpp"
#include "crypto/sha256.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <thread>

using namespace std::chrono_literals;

namespace {

core::bls::private_key devnet_finalizer_key(int n) {
   return core::bls::private_key::from_seed(core::sha256(fmt::format("devnet.finalizer.{}", n)).data).value();
}

/// The node's raw status object (the Savanna fields the support's node_status does not hold).
std::optional<rapidjson::Document> raw_status(it::node_process& n) {
   auto r = n.ctl({"status"}, 3s);
   if (r.rc != 0)
      return std::nullopt;
   auto d = it::parse_object(r.out);
   if (!d || !d->HasMember("head_block_num"))
      return std::nullopt;
   return d;
}

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
   it::configure_devnet(c, true);
   std::vector<std::string> finalizers;
   for (int i = 0; i < 3; ++i) {
      const auto k = devnet_finalizer_key(i + 1);
      c[i].set("signature-provider", k.get_public_key().to_string() + "=KEY:" + k.to_string());
      c[i].set("project-action-mroots", "true");
      finalizers.push_back(fmt::format("node{}={}", i + 1, k.get_public_key().to_string()));
   }
   for (auto* n : c.all())
      n->start();
   const auto nodes = c.all();

   // Legacy DPoS first: the hand-over to the three producers.
   std::set<std::string> seen;
   IT_WAIT_REQUIRE(c.logs(), 75s, [&] {
      for (auto* n : nodes)
         if (auto s = n->status())
            seen.insert(s->head_producer);
      return seen.count("proda") && seen.count("prodb") && seen.count("prodc");
   }());
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
   std::vector<std::string> args{"activate-savanna"};
   args.insert(args.end(), finalizers.begin(), finalizers.end());
   int accepted = 0;
   for (auto* n : nodes) {
      auto r = n->ctl(args);
      INFO(n->name() << ": " << r.out << r.err);
      accepted += r.rc == 0;
   }
   REQUIRE(accepted >= 1);

   // Savanna on every node, with strong QCs and a LIB close to the head.
   IT_WAIT_REQUIRE(c.logs(), 60s, [&] {
      for (auto* n : nodes) {
         auto s = raw_status(*n);
         if (!s || it::str_member(*s, "consensus") != "savanna" || it::str_member(*s, "last_qc") != "strong" ||
             it::uint_member(*s, "lib_lag_blocks", 999) > 4)
            return false;
      }
      return true;
   }());
   // Asking again is refused: the chain is Savanna now.
   auto again = c[0].ctl(args);
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
