// The real nodeos v2 block log in ../shared/protocol/data, decoded block by block with ids checked.
#include "blocklog/nodeos_block_log.hpp"
#include "codec/codec.hpp"
#include "codec/hex.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace core;

namespace {
std::filesystem::path real_log() { return test::shared_path("protocol/data/leap-blocklog-snapshots/blocks.log"); }

std::filesystem::path write_temp(const std::string& name, const std::vector<uint8_t>& bytes) {
   auto dir = std::filesystem::temp_directory_path() / "p2p_blocklog_test";
   std::filesystem::create_directories(dir);
   auto p = dir / name;
   std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
   return p;
}

std::vector<uint8_t> read_all(const std::filesystem::path& p) {
   std::ifstream in(p, std::ios::binary);
   return {std::istreambuf_iterator<char>(in), {}};
}
} // namespace

TEST_CASE("nodeos_block_log: the real v2 log decodes block by block with linked ids", "[blocklog]") {
   auto log = nodeos_block_log::open(real_log());
   if (!log)
      FAIL(log.error());
   CHECK(log->version() == 2);
   CHECK(log->first_block_num() == 1);
   CHECK(log->last_block_num() == 3);
   REQUIRE(log->genesis());
   const auto& g1 = test::golden_named("real_blocklog_snapshots_block_1");
   CHECK(log->chain_id().to_string() == g1.derived()["chain_id"].GetString());
   CHECK(log->first_entry_offset() == g1.derived()["file_offset"].GetUint64());

   auto index = nodeos_block_log::read_index(real_log().replace_filename("blocks.index"));
   REQUIRE(index);
   REQUIRE(index->has_value());

   auto cur = log->begin();
   block_id_type prev_id;
   uint32_t n = 0;
   while (true) {
      auto e = cur.next();
      if (!e)
         FAIL(e.error().message());
      if (!e->has_value())
         break;
      ++n;
      const auto& entry = **e;
      auto b = log->decode(entry);
      REQUIRE(b);
      CHECK(entry.block_num == n);
      CHECK(b->previous == prev_id);
      CHECK(to_hex(pack(*b)) == to_hex(entry.bytes));
      CHECK(b->calculate_transaction_mroot() == b->transaction_mroot);
      const auto& g = test::golden_named("real_blocklog_snapshots_block_" + std::to_string(n));
      CHECK(to_hex(entry.bytes) == g.hex());
      CHECK(b->calculate_id().to_string() == g.derived()["id_recomputed"].GetString());
      CHECK((**index).at(n - 1) == entry.offset);
      prev_id = b->calculate_id();
   }
   CHECK(n == 3);
   CHECK(log->genesis()->genesis_block() == *log->decode(*log->entry_at(log->first_entry_offset())));
}

TEST_CASE("nodeos_block_log: damaged logs are reported, not read", "[blocklog]") {
   auto good = read_all(real_log());
   REQUIRE(good.size() > 200);
   SECTION("unsupported version") {
      auto bad = good;
      bad[0] = 9;
      auto r = nodeos_block_log::open(write_temp("v9.log", bad));
      REQUIRE_FALSE(r);
      CHECK(r.error().find("unsupported block log version 9") != std::string::npos);
   }
   SECTION("bad totem") {
      auto bad = good;
      bad[120] ^= 1;
      auto r = nodeos_block_log::open(write_temp("totem.log", bad));
      REQUIRE_FALSE(r);
      CHECK(r.error().find("totem") != std::string::npos);
   }
   SECTION("torn last entry: the blocks before it read, the walk then fails at its start") {
      auto bad = good;
      bad.resize(bad.size() - 5);
      auto r = nodeos_block_log::open(write_temp("torn.log", bad));
      REQUIRE(r);
      REQUIRE(r->damaged());
      CHECK(r->last_block_num() == 2);
      CHECK(r->damaged()->block_num == 3);
      auto cur = r->begin();
      REQUIRE(cur.next());
      REQUIRE(cur.next());
      const uint64_t block3 = cur.offset();
      CHECK(r->damaged()->offset == block3);
      CHECK(r->intact_end() == block3);
      auto third = cur.next();
      REQUIRE_FALSE(third);
      CHECK(third.error().offset == block3);
      CHECK(r->damage_message().find("torn at byte " + std::to_string(block3) + ": block 3 does not read") !=
            std::string::npos);
   }
   SECTION("corrupt middle entry position") {
      auto bad = good;
      auto log = nodeos_block_log::open(real_log());
      auto e1 = log->entry_at(log->first_entry_offset());
      REQUIRE(e1);
      bad[e1->offset + e1->bytes.size()] ^= 0x40; // trailing position of block 1
      auto r = nodeos_block_log::open(write_temp("mid.log", bad));
      REQUIRE(r); // the last block is intact
      auto cur = r->begin();
      auto first = cur.next();
      REQUIRE_FALSE(first);
      CHECK(first.error().field == "position");
   }
   SECTION("missing file") {
      auto r = nodeos_block_log::open("/nonexistent/blocks.log");
      REQUIRE_FALSE(r);
      CHECK(r.error().find("No such file") != std::string::npos);
   }
}
