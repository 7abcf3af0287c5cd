// nodeos_block_log_writer as blockdump uses it: nothing under the real names until commit().
#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "blocklog/nodeos_block_log_writer.hpp"

#include <catch2/catch.hpp>

#include <fstream>

TEST_CASE("nodeos_block_log_writer: abandoned writes leave no files, order is enforced", "[blockdump]") {
   auto src = core::nodeos_block_log::open(test::real_blocks_dir() + "/blocks.log");
   REQUIRE(src);
   auto dir = test::scratch_dir("writer");
   auto cur = src->begin();
   auto b1 = cur.next();
   auto b2 = cur.next();
   REQUIRE((b1 && b2 && b1->has_value() && b2->has_value()));
   {
      auto w = core::nodeos_block_log_writer::create(dir, 1, *src->genesis());
      REQUIRE(w);
      CHECK_FALSE(w->append((*b2)->bytes)); // block 2 where block 1 is expected
      REQUIRE(w->append((*b1)->bytes));
      CHECK(w->next_block_num() == 2);
   } // destroyed without commit()
   CHECK(std::filesystem::is_empty(dir));

   CHECK_FALSE(core::nodeos_block_log_writer::create(dir, 1, src->chain_id())); // block 1 needs genesis
   CHECK_FALSE(core::nodeos_block_log_writer::create(dir, 0, src->chain_id()));
   {
      auto w = core::nodeos_block_log_writer::create(dir, 2, src->chain_id());
      REQUIRE(w);
      REQUIRE(w->append((*b2)->bytes));
      REQUIRE(w->commit());
   }
   auto log = core::nodeos_block_log::open(dir / "blocks.log");
   REQUIRE(log);
   CHECK(log->first_block_num() == 2);
   CHECK(log->last_block_num() == 2);
   auto again = core::nodeos_block_log_writer::create(dir, 2, src->chain_id());
   CHECK_FALSE(again);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump extract: a corrupt source entry fails without leaving a partial log", "[blockdump]") {
   auto dir = test::scratch_dir("extract_corrupt");
   std::filesystem::copy_file(test::real_blocks_dir() + "/blocks.log", dir / "blocks.log");
   std::filesystem::permissions(dir / "blocks.log", std::filesystem::perms::owner_write,
                                std::filesystem::perm_options::add);
   auto index = core::nodeos_block_log::read_index(test::real_blocks_dir() + "/blocks.index");
   REQUIRE(index);
   // Block 2's trailing position (the 8 bytes before block 3) no longer names block 2's start.
   {
      std::fstream f(dir / "blocks.log", std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>((**index)[2] - 8));
      f.put('\x7f');
      REQUIRE(f.good());
   }
   auto r = test::run_blockdump({"extract", "--blocks-dir", dir.string(), "--first", "1", "--last", "3",
                                 "--output-dir", (dir / "out").string()});
   CHECK(r.rc == 1);
   CHECK(r.err.find("block 2: ") != std::string::npos);
   CHECK(std::filesystem::is_empty(dir / "out"));
   std::filesystem::remove_all(dir);
}
