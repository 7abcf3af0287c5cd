// A transaction pushed at one end of a line of three nodes is relayed hop by hop, reaches a fake
// peer exactly once, and lands in exactly one block that every node has.
#include "support/devnet.hpp"

#include "codec/codec.hpp"
#include "codec/hex.hpp"

#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>

using namespace std::chrono_literals;

TEST_CASE("transaction: pushed at one end of a line of three nodes, relayed once, included in one block",
          "[integration][transaction]") {
   // node1 (the only producer) - node2 - node3; the transaction enters at node3.
   it::cluster c("trx");
   auto& n1 = c.add("node1");
   auto& n2 = c.add("node2");
   auto& n3 = c.add("node3");
   it::make_producer(n1, {"eosio"});
   n2.set("p2p-peer-address", n1.endpoint());
   n3.set("p2p-peer-address", n2.endpoint());
   for (auto* n : c.all())
      n->start();
   IT_WAIT_REQUIRE(c.logs(), 30s, [&] {
      auto s1 = n1.status(), s3 = n3.status();
      return s1 && s3 && s3->lib_num >= 3 && s3->sync_state == "in_sync" && s3->head_num + 2 >= s1->head_num;
   }());

   // A fake peer on node2, advertising node2's own chain position so it is in step.
   const auto s2 = n2.require_status();
   const auto fake_out = c.root() / "fake_peer.jsonl";
   it::background_process fake(
      it::msgcraft_bin(),
      {"send", n2.endpoint(), "--chain-id", it::devnet_chain_id_hex(), "--head-num", std::to_string(s2.head_num),
       "--head-id", s2.head_id, "--lib-num", std::to_string(s2.lib_num), "--lib-id", s2.lib_id, "--timeout", "12"},
      fake_out, c.root() / "fake_peer.err");
   IT_WAIT_REQUIRE(c.logs(), 5s, [&] { auto s = n2.status(); return s && s->peer_count == 3; }());

   const auto s3 = n3.require_status();
   auto chain_id = core::checksum256::from_string(s3.chain_id);
   REQUIRE(chain_id);
   const auto trx = it::make_test_transaction(*chain_id, s3.lib_num, s3.lib_id, "integration transfer");
   const std::string trx_id = trx.id().to_string();
   const std::string packed_hex = core::to_hex(trx.packed_trx);
   const auto trx_file = c.root() / "trx.json";
   std::ofstream(trx_file) << core::to_json(trx) << '\n';
   const uint32_t pushed_at = n1.require_status().head_num;

   auto r = n3.ctl({"push-transaction", trx_file.string()});
   INFO("push: rc " << r.rc << " out " << r.out << " err " << r.err);
   REQUIRE(r.rc == 0);
   auto reply = it::parse_object(r.lines().empty() ? "" : r.lines().front());
   REQUIRE(reply);
   CHECK(it::str_member(*reply, "id") == trx_id);
   CHECK(reply->HasMember("accepted"));
   CHECK(((*reply)["accepted"].IsBool() && (*reply)["accepted"].GetBool()));

   // It lands in a block produced by node1 (so it crossed node2), and only in one.
   uint32_t included_in = 0;
   IT_WAIT_REQUIRE(c.logs(), 15s, [&] {
      const uint32_t head = n1.status() ? n1.status()->head_num : 0;
      for (uint32_t b = pushed_at; b <= head && included_in == 0; ++b)
         if (auto j = n1.block_json(b); j && j->find(packed_hex) != std::string::npos)
            included_in = b;
      return included_in != 0;
   }());
   IT_WAIT_REQUIRE(c.logs(), 10s, [&] {
      auto a = n1.status(), b = n3.status();
      return a && b && a->head_num >= included_in + 3 && b->head_num >= included_in + 3;
   }());
   int blocks_with_trx = 0;
   const uint32_t scan_to = n1.require_status().head_num;
   for (uint32_t b = pushed_at; b <= scan_to; ++b)
      if (auto j = n1.block_json(b); j && j->find(packed_hex) != std::string::npos)
         ++blocks_with_trx;
   CHECK(blocks_with_trx == 1);
   const auto block_id = n1.block_id(included_in);
   REQUIRE(block_id);
   for (auto* n : {&n2, &n3}) {
      CHECK(n->block_id(included_in) == block_id);
      auto j = n->block_json(included_in);
      CHECK((j && j->find(packed_hex) != std::string::npos));
   }

   // Every node knows it now: pushing it again is refused everywhere.
   for (auto* n : c.all()) {
      auto again = n->ctl({"push-transaction", trx_file.string()});
      INFO(n->name() << ": " << again.out << again.err);
      CHECK(again.rc == 1);
   }

   // The fake peer on node2 got the transaction exactly once.
   if (!fake.wait(20s)) {
      fake.signal(SIGINT);
      if (!fake.wait(2s))
         fake.signal(SIGKILL), fake.wait(2s);
   }
   std::ifstream in(fake_out);
   int frames = 0, copies = 0;
   for (std::string line; std::getline(in, line);) {
      ++frames;
      if (line.find("\"packed_transaction\"") != std::string::npos && line.find(packed_hex) != std::string::npos)
         ++copies;
   }
   INFO("fake peer frames: " << frames);
   CHECK(frames > 0);
   CHECK(copies == 1);
}
