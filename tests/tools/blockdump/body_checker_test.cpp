// blockdump verify's transaction checks: history (TAPO window, unexpired ids) across blocks.
#include "body_checker.hpp"

#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"

#include <catch2/catch.hpp>

namespace {
std::vector<core::signed_block> real_blocks() {
   auto log = core::nodeos_block_log::open(test::real_blocks_dir() + "/blocks.log");
   REQUIRE(log);
   std::vector<core::signed_block> v;
   auto cur = log->begin();
   while (true) {
      auto e = cur.next();
      REQUIRE(e);
      if (!e->has_value())
         break;
      auto b = log->decode(**e);
      REQUIRE(b);
      v.push_back(std::move(*b));
   }
   REQUIRE(v.size() == 3);
   return v;
}
} // namespace

TEST_CASE("blockdump body_checker: the real blocks pass in order, a replayed block is a duplicate",
          "[blockdump]") {
   auto log = core::nodeos_block_log::open(test::real_blocks_dir() + "/blocks.log");
   REQUIRE(log);
   auto blocks = real_blocks();
   blockdump::body_checker c(log->chain_id(), log->genesis()->initial_configuration);
   for (const auto& b : blocks)
      CHECK(c.check_and_record(b, b.calculate_id()) == "");
   // Block 2's transaction has not expired at block 3's time: seen again, it is a duplicate.
   auto again = c.check_and_record(blocks[1], blocks[1].calculate_id());
   CHECK(again.find("receipt 0: bad_transaction/duplicate") == 0);
}

TEST_CASE("blockdump body_checker: duplicate receipts within a block and unknown TAPO blocks", "[blockdump]") {
   auto log = core::nodeos_block_log::open(test::real_blocks_dir() + "/blocks.log");
   REQUIRE(log);
   auto blocks = real_blocks();
   {
      blockdump::body_checker c(log->chain_id(), log->genesis()->initial_configuration);
      REQUIRE(c.check_and_record(blocks[0], blocks[0].calculate_id()) == "");
      REQUIRE(c.check_and_record(blocks[1], blocks[1].calculate_id()) == "");
      auto b3 = blocks[2];
      REQUIRE(b3.transactions.size() == 2);
      b3.transactions[1] = b3.transactions[0];
      b3.transaction_mroot = b3.calculate_transaction_mroot();
      CHECK(c.check_and_record(b3, b3.calculate_id()).find("receipt 1: duplicate_transaction") == 0);
   }
   {
      // Nothing recorded: a transaction's reference block is unknown (or, for block 1, mismatched).
      blockdump::body_checker c(log->chain_id(), log->genesis()->initial_configuration);
      auto r = c.check_and_record(blocks[1], blocks[1].calculate_id());
      CHECK(r.find("receipt 0: bad_transaction/tapos_") == 0);
   }
}
