// blockdump verify's transaction checks: history (TAPO window, unexpired ids) across blocks.
#include "body_checker.hpp"

#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"

#include <catch2/catch.hpp>

TEST_CASE("blockdump body_checker: the real blocks pass in order, a replayed block is a duplicate",
          "[blockdump]") {
   auto log = core::nodeos_block_log::open(test::real_blocks_dir() + "/blocks.log");
   REQUIRE(log);
   auto blocks = test::real_log_blocks();
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
   auto blocks = test::real_log_blocks();
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

TEST_CASE("blockdump body_checker: references before known_from fix their prefix once, later ones must agree",
          "[blockdump]") {
   auto log = core::nodeos_block_log::open(test::real_blocks_dir() + "/blocks.log");
   REQUIRE(log);
   auto blocks = test::real_log_blocks();
   const auto& b3 = blocks[2];
   // Block 3's transactions reference block 2, absent below known_from = 3.
   REQUIRE(std::get<core::packed_transaction>(b3.transactions[1].trx).get_transaction().ref_block_num == 2);

   // A block 4 whose one transaction is block 3's second with another ref_block_prefix (same
   // signature: it recovers to another key, which is not checked without authorities).
   core::signed_block b4 = b3;
   b4.previous = b3.calculate_id();
   b4.timestamp = b3.timestamp.next();
   const auto& pt = std::get<core::packed_transaction>(b3.transactions[1].trx);
   auto trx = pt.get_transaction();
   trx.ref_block_prefix += 1;
   b4.transactions = {b3.transactions[1]};
   b4.transactions[0].trx = core::packed_transaction::make(trx, pt.signatures);
   b4.transaction_mroot = b4.calculate_transaction_mroot();
   REQUIRE(b4.block_num() == 4);

   {
      blockdump::body_checker c(log->chain_id(), log->genesis()->initial_configuration, 3);
      CHECK(c.check_and_record(b3, b3.calculate_id()) == "");
      CHECK(c.check_and_record(b4, b4.calculate_id()).find("receipt 0: bad_transaction/tapos_mismatch") == 0);
   }
   {
      // Seen first, block 4's prefix is the one assumed for block 2.
      blockdump::body_checker c(log->chain_id(), log->genesis()->initial_configuration, 3);
      CHECK(c.check_and_record(b4, b4.calculate_id()) == "");
   }
   {
      // Without known_from the reference must resolve to a recorded block.
      blockdump::body_checker c(log->chain_id(), log->genesis()->initial_configuration);
      CHECK(c.check_and_record(b3, b3.calculate_id()).find("receipt 0: bad_transaction/tapos_unknown_block") == 0);
   }
}
