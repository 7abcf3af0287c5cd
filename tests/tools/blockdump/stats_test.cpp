// blockdump stats on the real nodeos log.
#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "blocklog/nodeos_block_log_writer.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <cstring>

TEST_CASE("blockdump stats: counts, producers and time span of the real log", "[blockdump]") {
   auto r = test::run_blockdump({"stats", "--json", "--blocks-dir", test::real_blocks_dir()});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   REQUIRE(r.lines().size() == 1);
   rapidjson::Document d;
   d.Parse(r.out.c_str());
   REQUIRE(d.IsObject());
   CHECK(d["blocks"].GetUint() == 3);
   CHECK(d["first_block_num"].GetUint() == 1);
   CHECK(d["last_block_num"].GetUint() == 3);
   // Per-block transaction counts from the golden vectors: 0, 1, 2.
   uint64_t trx = 0;
   for (int n = 1; n <= 3; ++n)
      trx += test::golden_named("real_blocklog_snapshots_block_" + std::to_string(n)).fields()["transactions"].Size();
   CHECK(trx == 3);
   CHECK(d["transactions"].GetUint64() == trx);
   CHECK(d["trx_per_block_min"].GetUint() == 0);
   CHECK(d["trx_per_block_avg"].GetDouble() == Approx(1.0));
   CHECK(d["trx_per_block_max"].GetUint() == 2);
   const auto file_bytes = std::filesystem::file_size(test::real_blocks_dir() + "/blocks.log");
   CHECK(d["file_bytes"].GetUint64() == file_bytes);
   // Preamble ends where block 1 starts (golden file_offset 126); each entry adds an 8-byte position.
   CHECK(d["block_bytes"].GetUint64() == file_bytes - 126 - 3 * 8);
   CHECK(d["blocks_per_producer"]["eosio"].GetUint() == 2);
   // Block 1, the genesis block, is produced by no one (producer name 0): no row.
   CHECK(d["blocks_per_producer"].MemberCount() == 1);
   CHECK_FALSE(d["blocks_per_producer"].HasMember(""));
   CHECK(d["missed_slots"].GetUint() == 0);
   CHECK(std::string(d["first_timestamp"].GetString()) == "2020-01-01T00:00:00.000");
   CHECK(std::string(d["last_timestamp"].GetString()) == "2020-01-01T00:00:01.000");

   auto text = test::run_blockdump({"stats", "--blocks-dir", test::real_blocks_dir()});
   CHECK(text.rc == 0);
   CHECK(text.out.find("trx_per_block       min 0 avg 1.00 max 2") != std::string::npos);
   CHECK(text.out.find("missed_slots        0") != std::string::npos);
}

namespace {
/// A copy of the real log in `dir` whose blocks `from`.. are moved `slots` slots later (bytes
/// 0..3 of a packed block are its timestamp slot); stats reads timestamps and does not check
/// signatures or linkage.
void write_shifted(const std::filesystem::path& dir, uint32_t from, uint32_t slots) {
   auto src = core::nodeos_block_log::open(test::real_blocks_dir() + "/blocks.log");
   REQUIRE(src);
   auto w = core::nodeos_block_log_writer::create(dir, 1, *src->genesis());
   REQUIRE(w);
   auto cur = src->begin();
   while (true) {
      auto e = cur.next();
      REQUIRE(e);
      if (!e->has_value())
         break;
      std::vector<uint8_t> bytes((*e)->bytes.begin(), (*e)->bytes.end());
      if ((*e)->block_num >= from) {
         uint32_t slot;
         std::memcpy(&slot, bytes.data(), 4);
         slot += slots;
         std::memcpy(bytes.data(), &slot, 4);
      }
      REQUIRE(w->append(bytes));
   }
   REQUIRE(w->commit());
}
} // namespace

TEST_CASE("blockdump stats: the time between genesis and block 2 is not missed slots", "[blockdump]") {
   // A chain whose production started a year after its genesis timestamp.
   auto dir = test::scratch_dir("stats_late_start");
   write_shifted(dir, 2, 365 * 24 * 7200);
   auto r = test::run_blockdump({"stats", "--json", "--blocks-dir", dir.string()});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   rapidjson::Document d;
   d.Parse(r.out.c_str());
   CHECK(d["missed_slots"].GetUint() == 0);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump stats: missed slots sum the gaps between consecutive timestamps", "[blockdump]") {
   // A copy of the real log whose block 3 is moved 10 slots later.
   auto src = core::nodeos_block_log::open(test::real_blocks_dir() + "/blocks.log");
   REQUIRE(src);
   auto dir = test::scratch_dir("stats_gap");
   {
      auto w = core::nodeos_block_log_writer::create(dir, 1, *src->genesis());
      REQUIRE(w);
      auto cur = src->begin();
      while (true) {
         auto e = cur.next();
         REQUIRE(e);
         if (!e->has_value())
            break;
         std::vector<uint8_t> bytes((*e)->bytes.begin(), (*e)->bytes.end());
         if ((*e)->block_num == 3) {
            uint32_t slot;
            std::memcpy(&slot, bytes.data(), 4);
            slot += 10;
            std::memcpy(bytes.data(), &slot, 4);
         }
         REQUIRE(w->append(bytes));
      }
      REQUIRE(w->commit());
   }
   auto r = test::run_blockdump({"stats", "--json", "--blocks-dir", dir.string()});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   rapidjson::Document d;
   d.Parse(r.out.c_str());
   CHECK(d["blocks"].GetUint() == 3);
   CHECK(d["missed_slots"].GetUint() == 10);
   CHECK(std::string(d["last_timestamp"].GetString()) == "2020-01-01T00:00:06.000");
   CHECK(test::run_blockdump({"stats", "--blocks-dir", "/nonexistent"}).rc == 1);
   std::filesystem::remove_all(dir);
}
