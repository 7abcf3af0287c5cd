// blockdump extract / trim / export: new version-3 nodeos logs, re-read with nodeos_block_log.
#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "codec/codec.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>

namespace {
using test::real_blocks_dir;
using test::run_blockdump;

struct read_back {
   std::vector<std::string> ids;
   std::vector<uint64_t> offsets;
};

/// Walks a log, decoding every block; returns the ids and entry offsets.
read_back walk(const core::nodeos_block_log& log) {
   read_back rb;
   auto cur = log.begin();
   while (true) {
      auto e = cur.next();
      REQUIRE(e);
      if (!e->has_value())
         break;
      auto b = log.decode(**e);
      REQUIRE(b);
      CHECK(b->block_num() == (*e)->block_num);
      rb.ids.push_back(b->calculate_id().to_string());
      rb.offsets.push_back((*e)->offset);
   }
   return rb;
}

std::vector<uint8_t> file_bytes(const std::filesystem::path& p) {
   std::ifstream in(p, std::ios::binary);
   return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string golden_id(int n) {
   return test::golden_named("real_blocklog_snapshots_block_" + std::to_string(n)).derived()["id_recomputed"].GetString();
}
} // namespace

TEST_CASE("blockdump extract: blocks 2..3 into a v3 log with chain id and index", "[blockdump]") {
   auto dir = test::scratch_dir("extract");
   auto r = run_blockdump({"extract", "--blocks-dir", real_blocks_dir(), "--first", "2", "--last", "3",
                           "--output-dir", (dir / "out").string(), "--format", "nodeos"});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   auto src = core::nodeos_block_log::open(real_blocks_dir() + "/blocks.log");
   REQUIRE(src);
   auto log = core::nodeos_block_log::open(dir / "out" / "blocks.log");
   REQUIRE(log);
   CHECK(log->version() == 3);
   CHECK(log->first_block_num() == 2);
   CHECK(log->last_block_num() == 3);
   CHECK_FALSE(log->genesis().has_value());
   CHECK(log->chain_id() == src->chain_id());

   // Preamble byte by byte: version, first block, chain id, totem; block 2 right after it.
   auto bytes = file_bytes(dir / "out" / "blocks.log");
   REQUIRE(bytes.size() > 48);
   uint32_t version, first;
   uint64_t totem;
   std::memcpy(&version, bytes.data(), 4);
   std::memcpy(&first, bytes.data() + 4, 4);
   std::memcpy(&totem, bytes.data() + 40, 8);
   CHECK(version == 3);
   CHECK(first == 2);
   CHECK(std::equal(src->chain_id().data.begin(), src->chain_id().data.end(), bytes.begin() + 8));
   CHECK(totem == core::nodeos_block_log::totem);
   CHECK(log->first_entry_offset() == 48);

   auto rb = walk(*log);
   REQUIRE(rb.ids.size() == 2);
   CHECK(rb.ids[0] == golden_id(2));
   CHECK(rb.ids[1] == golden_id(3));
   auto index = core::nodeos_block_log::read_index(dir / "out" / "blocks.index");
   REQUIRE(index);
   REQUIRE(index->has_value());
   CHECK(**index == rb.offsets);
   CHECK_FALSE(std::filesystem::exists(dir / "out" / "blocks.log.tmp"));
   CHECK_FALSE(std::filesystem::exists(dir / "out" / "blocks.index.tmp"));

   auto info = run_blockdump({"info", "--json", "--blocks-dir", (dir / "out").string()});
   CHECK(info.rc == 0);
   CHECK(info.out.find("\"index\":\"ok\"") != std::string::npos);

   // An existing log is never overwritten.
   auto again = run_blockdump({"extract", "--blocks-dir", real_blocks_dir(), "--first", "2", "--last", "2",
                               "--output-dir", (dir / "out").string()});
   CHECK(again.rc == 1);
   CHECK(again.err.find("already exists") != std::string::npos);
   CHECK(core::nodeos_block_log::open(dir / "out" / "blocks.log")->last_block_num() == 3);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump export: the whole log as v3 with genesis, same blocks, verifiable", "[blockdump]") {
   auto dir = test::scratch_dir("export");
   auto r = run_blockdump({"export", "--blocks-dir", real_blocks_dir(), "--output-dir", dir.string()});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   auto src = core::nodeos_block_log::open(real_blocks_dir() + "/blocks.log");
   auto log = core::nodeos_block_log::open(dir / "blocks.log");
   REQUIRE(log);
   CHECK(log->version() == 3);
   CHECK(log->first_block_num() == 1);
   CHECK(log->last_block_num() == 3);
   REQUIRE(log->genesis().has_value());
   CHECK(*log->genesis() == *src->genesis());
   CHECK(log->chain_id() == src->chain_id());
   auto rb = walk(*log);
   REQUIRE(rb.ids.size() == 3);
   for (int n = 1; n <= 3; ++n)
      CHECK(rb.ids[n - 1] == golden_id(n));
   auto index = core::nodeos_block_log::read_index(dir / "blocks.index");
   REQUIRE(index);
   CHECK(**index == rb.offsets);
   // A v3 log starting at block 1 has the v2 layout: only the version word differs.
   auto a = file_bytes(dir / "blocks.log");
   auto b = file_bytes(real_blocks_dir() + "/blocks.log");
   REQUIRE(a.size() == b.size());
   CHECK(std::equal(a.begin() + 4, a.end(), b.begin() + 4));
   CHECK(run_blockdump({"verify", "--blocks-dir", dir.string()}).rc == 0);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump trim: defaults to the log's ends", "[blockdump]") {
   auto dir = test::scratch_dir("trim");
   REQUIRE(run_blockdump({"trim", "--blocks-dir", real_blocks_dir(), "--last", "2", "--output-dir",
                          (dir / "a").string()})
              .rc == 0);
   auto log = core::nodeos_block_log::open(dir / "a" / "blocks.log");
   REQUIRE(log);
   CHECK(log->first_block_num() == 1);
   CHECK(log->last_block_num() == 2);
   CHECK(log->genesis().has_value());
   CHECK(walk(*log).ids == std::vector<std::string>{golden_id(1), golden_id(2)});
   CHECK(run_blockdump({"verify", "--blocks-dir", (dir / "a").string()}).rc == 0);

   // Trimming a log that already starts at block 2 keeps its chain id.
   REQUIRE(run_blockdump({"trim", "--blocks-dir", (dir / "a").string(), "--first", "2", "--output-dir",
                          (dir / "b").string()})
              .rc == 0);
   auto b = core::nodeos_block_log::open(dir / "b" / "blocks.log");
   REQUIRE(b);
   CHECK(b->first_block_num() == 2);
   CHECK(b->last_block_num() == 2);
   CHECK(b->chain_id() == log->chain_id());
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump extract/trim/export: bad ranges are usage errors, missing logs failures", "[blockdump]") {
   auto dir = test::scratch_dir("extract_bad");
   const auto out = (dir / "out").string();
   auto extract = [&](std::string first, std::string last) {
      return run_blockdump({"extract", "--blocks-dir", real_blocks_dir(), "--first", first, "--last", last,
                            "--output-dir", out});
   };
   CHECK(extract("3", "2").rc == 2);
   CHECK(extract("0", "2").rc == 2);
   CHECK(extract("2", "4").rc == 2);
   CHECK(extract("4", "9").rc == 2);
   CHECK(run_blockdump({"extract", "--blocks-dir", real_blocks_dir(), "--first", "1", "--output-dir", out}).rc == 2);
   CHECK(run_blockdump({"extract", "--blocks-dir", real_blocks_dir(), "--first", "1", "--last", "2"}).rc == 2);
   CHECK(run_blockdump({"extract", "--blocks-dir", real_blocks_dir(), "--first", "1", "--last", "2",
                        "--output-dir", out, "--format", "leap"})
            .rc == 2);
   CHECK(run_blockdump({"trim", "--blocks-dir", real_blocks_dir(), "--first", "3", "--last", "1", "--output-dir", out})
            .rc == 2);
   CHECK(run_blockdump({"trim", "--blocks-dir", real_blocks_dir(), "--last", "7", "--output-dir", out}).rc == 2);
   CHECK(run_blockdump({"export", "--blocks-dir", real_blocks_dir()}).rc == 2);
   CHECK(run_blockdump({"export", "--data-dir", dir.string(), "--output-dir", out}).rc == 1);
   // Nothing was written by any of them.
   CHECK_FALSE(std::filesystem::exists(out));

   auto missing = run_blockdump({"extract", "--blocks-dir", "/nonexistent", "--first", "1", "--last", "2",
                                 "--output-dir", out});
   CHECK(missing.rc == 1);
   CHECK(missing.err.find("No such file") != std::string::npos);
   CHECK(run_blockdump({"trim", "--blocks-dir", "/nonexistent", "--output-dir", out}).rc == 1);
   CHECK(run_blockdump({"export", "--blocks-dir", "/nonexistent", "--output-dir", out}).rc == 1);
   CHECK_FALSE(std::filesystem::exists(out));
   std::filesystem::remove_all(dir);
}
