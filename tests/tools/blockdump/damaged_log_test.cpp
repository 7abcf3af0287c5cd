// blockdump on logs that are not what they should be: a FIFO or directory where a file belongs,
// a range outside the log, a log torn inside a block, and `repair`.
#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

using test::run_blockdump;

namespace {

/// A writable copy of the real 3-block log and its index in a scratch directory.
std::filesystem::path real_copy(const std::string& name) {
   auto dir = test::scratch_dir(name);
   for (const char* f : {"blocks.log", "blocks.index"}) {
      std::filesystem::copy_file(test::real_blocks_dir() + "/" + f, dir / f);
      std::filesystem::permissions(dir / f, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
   }
   return dir;
}

/// Offsets of the real log's blocks (from its index).
std::vector<uint64_t> real_offsets() {
   auto index = core::nodeos_block_log::read_index(test::real_blocks_dir() + "/blocks.index");
   REQUIRE(index);
   REQUIRE(*index);
   REQUIRE((*index)->size() == 3);
   return **index;
}

/// The real log cut 10 bytes into block 3: what a crash or a cut copy leaves.
std::filesystem::path torn_copy(const std::string& name) {
   auto dir = real_copy(name);
   std::filesystem::resize_file(dir / "blocks.log", real_offsets()[2] + 10);
   return dir;
}

/// A file's bytes, as a string (Catch2 prints a mismatch of one in a line, not byte by byte).
std::string bytes_of(const std::filesystem::path& p) {
   std::ifstream in(p, std::ios::binary);
   return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("blockdump: a FIFO or a directory where blocks.log or blocks.index belongs is an error, not a hang",
          "[blockdump]") {
   auto dir = test::scratch_dir("fifo");
   for (const char* name : {"blocks.log", "blocks.index"}) {
      INFO(name);
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
      if (std::string(name) == "blocks.index")
         std::filesystem::copy_file(test::real_blocks_dir() + "/blocks.log", dir / "blocks.log");
      REQUIRE(::mkfifo((dir / name).c_str(), 0600) == 0);
      for (const char* cmd : {"info", "print", "verify", "stats"}) {
         INFO(cmd);
         auto r = run_blockdump({cmd, "--blocks-dir", dir.string()});
         if (std::string(name) == "blocks.index" && std::string(cmd) != "info")
            continue; // only info reads the index
         CHECK(r.rc == 1);
         CHECK(r.err.find(std::string(name) + ": a FIFO, not a regular file") != std::string::npos);
      }
   }
   std::filesystem::remove_all(dir);
   std::filesystem::create_directories(dir / "blocks.log");
   auto d = run_blockdump({"info", "--blocks-dir", dir.string()});
   CHECK(d.rc == 1);
   CHECK(d.err.find("blocks.log: a directory, not a regular file") != std::string::npos);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump: an unreadable blocks.index is named once", "[blockdump]") {
   auto dir = real_copy("index_prefix");
   std::ofstream(dir / "blocks.index", std::ios::binary | std::ios::app) << "abc"; // not a multiple of 8
   auto r = run_blockdump({"info", "--blocks-dir", dir.string()});
   CHECK(r.rc == 1);
   CHECK(r.err == "blockdump: blocks.index: size 27 is not a multiple of 8\n");
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump print: one range check, as extract has: block 0 and blocks outside the log are usage errors",
          "[blockdump]") {
   const auto dir = test::real_blocks_dir();
   for (const std::vector<std::string>& range : std::vector<std::vector<std::string>>{
           {"--first", "0"}, {"--last", "0"}, {"--first", "5", "--last", "9"}, {"--first", "4"}, {"--last", "4"},
           {"--first", "2", "--last", "10"}, {"--first", "3", "--last", "2"}}) {
      std::vector<std::string> args = {"print", "--blocks-dir", dir};
      args.insert(args.end(), range.begin(), range.end());
      auto r = run_blockdump(args);
      INFO(args[3] << " " << args[4]);
      CHECK(r.rc == 2);
      CHECK(r.out.empty());
      CHECK_FALSE(r.err.empty());
   }
   auto outside = run_blockdump({"print", "--blocks-dir", dir, "--first", "5", "--last", "9"});
   CHECK(outside.err.find("5 is outside the source (1..3)") != std::string::npos);
   // The same check, the same words, for the range copies.
   auto extract = run_blockdump({"extract", "--blocks-dir", dir, "--first", "5", "--last", "9", "--output-dir",
                                 (test::scratch_dir("range_extract") / "out").string()});
   CHECK(extract.rc == 2);
   CHECK(extract.err.find("5 is outside the source (1..3)") != std::string::npos);
   CHECK(run_blockdump({"print", "--blocks-dir", dir, "--first", "3"}).lines().size() == 1);
}

TEST_CASE("blockdump: a log torn inside block 3 prints and verifies blocks 1-2, then fails naming the offset",
          "[blockdump]") {
   auto dir = torn_copy("torn");
   const std::string at = "torn at byte " + std::to_string(real_offsets()[2]);

   auto print = run_blockdump({"print", "--blocks-dir", dir.string()});
   CHECK(print.rc == 1);
   REQUIRE(print.lines().size() == 2);
   rapidjson::Document b2;
   b2.Parse(print.lines()[1].c_str());
   CHECK(b2["block_num"].GetUint() == 2);
   INFO(print.err);
   CHECK(print.err.find("block 3: the log is " + at) != std::string::npos);
   CHECK(print.err.find("blocks 1..2 before it are intact") != std::string::npos);
   CHECK(print.err.find("blockdump repair") != std::string::npos);

   auto verify = run_blockdump({"verify", "--blocks-dir", dir.string(), "--json"});
   CHECK(verify.rc == 1);
   REQUIRE(verify.lines().size() == 3);
   for (int i = 0; i < 2; ++i) {
      rapidjson::Document d;
      d.Parse(verify.lines()[i].c_str());
      CHECK(d["block_num"].GetUint() == unsigned(i + 1));
      CHECK(d["ok"].GetBool());
   }
   rapidjson::Document bad;
   bad.Parse(verify.lines()[2].c_str());
   CHECK(bad["block_num"].GetUint() == 3);
   CHECK_FALSE(bad["ok"].GetBool());
   CHECK(std::string(bad["error"].GetString()).find(at) != std::string::npos);

   auto info = run_blockdump({"info", "--blocks-dir", dir.string()});
   CHECK(info.rc == 1);
   CHECK(info.out.find("last_block      2") != std::string::npos);
   CHECK(info.err.find(at) != std::string::npos);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump repair: a copy cut to the last whole block with its index rebuilt, the original untouched",
          "[blockdump]") {
   auto dir = torn_copy("repair");
   const auto before = bytes_of(dir / "blocks.log");
   const auto out = dir / "fixed";
   auto r = run_blockdump({"repair", "--blocks-dir", dir.string(), "--output-dir", out.string(), "--json"});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   rapidjson::Document d;
   d.Parse(r.out.c_str());
   REQUIRE(d.IsObject());
   CHECK(d["repaired"].GetBool());
   CHECK(d["last_block_num"].GetUint() == 2);
   CHECK(d["cut_at"].GetUint64() == real_offsets()[2]);
   CHECK(d["cut_bytes"].GetUint64() == 10);
   CHECK(d["index_rebuilt"].GetBool());
   CHECK(bytes_of(dir / "blocks.log") == before);

   auto fixed = core::nodeos_block_log::open(out / "blocks.log");
   REQUIRE(fixed);
   CHECK_FALSE(fixed->damaged());
   CHECK(fixed->last_block_num() == 2);
   CHECK(run_blockdump({"verify", "--blocks-dir", out.string()}).rc == 0);
   auto info = run_blockdump({"info", "--blocks-dir", out.string(), "--json"});
   CHECK(info.rc == 0);
   CHECK(info.out.find("\"index\":\"ok\"") != std::string::npos);

   // A second repair into the same place is refused; a whole log needs none.
   auto again = run_blockdump({"repair", "--blocks-dir", dir.string(), "--output-dir", out.string()});
   CHECK(again.rc == 1);
   CHECK(again.err.find("refusing to overwrite") != std::string::npos);
   auto whole = run_blockdump({"repair", "--blocks-dir", out.string(), "--output-dir", (dir / "none").string()});
   CHECK(whole.rc == 0);
   CHECK(whole.out.find("nothing to repair") != std::string::npos);
   CHECK_FALSE(std::filesystem::exists(dir / "none"));
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump repair --in-place: the log itself is cut, the bytes cut off are kept", "[blockdump]") {
   auto dir = torn_copy("repair_in_place");
   const auto before = bytes_of(dir / "blocks.log");
   const auto cut = real_offsets()[2];
   CHECK(run_blockdump({"repair", "--blocks-dir", dir.string()}).rc == 2); // where to: a usage error
   auto r = run_blockdump({"repair", "--blocks-dir", dir.string(), "--in-place"});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   CHECK(r.out.find("kept_tail") != std::string::npos);
   CHECK(std::filesystem::file_size(dir / "blocks.log") == cut);
   const auto tail = bytes_of(dir / ("blocks.log.cut-at-" + std::to_string(cut)));
   CHECK(tail == before.substr(cut));
   CHECK(run_blockdump({"print", "--blocks-dir", dir.string()}).rc == 0);
   auto index = core::nodeos_block_log::read_index(dir / "blocks.index");
   REQUIRE(index);
   REQUIRE(*index);
   const auto offsets = real_offsets();
   CHECK(**index == std::vector<uint64_t>(offsets.begin(), offsets.begin() + 2));
   std::filesystem::remove_all(dir);
}
