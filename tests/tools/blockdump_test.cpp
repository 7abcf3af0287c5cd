// blockdump run in-process against the real nodeos v2 block log.
#include "blockdump.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {
struct outcome {
   int rc;
   std::string out, err;
};
outcome run(std::vector<std::string> args) {
   std::ostringstream out, err;
   int rc = blockdump::run(args, out, err);
   return {rc, out.str(), err.str()};
}
std::string real_dir() { return test::shared_path("protocol/data/leap-blocklog-snapshots"); }
std::vector<std::string> lines(const std::string& s) {
   std::vector<std::string> v;
   std::istringstream in(s);
   for (std::string l; std::getline(in, l);)
      v.push_back(l);
   return v;
}
} // namespace

TEST_CASE("blockdump info: the real log's version, range, chain id and index", "[blockdump]") {
   auto r = run({"info", "--json", "--blocks-dir", real_dir()});
   REQUIRE(r.rc == 0);
   rapidjson::Document d;
   d.Parse(r.out.c_str());
   REQUIRE(d.IsObject());
   CHECK(d["version"].GetUint() == 2);
   CHECK(d["first_block_num"].GetUint() == 1);
   CHECK(d["last_block_num"].GetUint() == 3);
   CHECK(d["block_count"].GetUint() == 3);
   CHECK(std::string(d["index"].GetString()) == "ok");
   CHECK(std::string(d["chain_id"].GetString()) ==
         test::golden_named("real_blocklog_snapshots_block_1").derived()["chain_id"].GetString());
   auto text = run({"info", "--blocks-dir", real_dir()});
   CHECK(text.rc == 0);
   CHECK(text.out.find("last_block      3") != std::string::npos);
}

TEST_CASE("blockdump print: one JSON object per block with leap-util's derived fields", "[blockdump]") {
   auto r = run({"print", "--blocks-dir", real_dir()});
   REQUIRE(r.rc == 0);
   auto ls = lines(r.out);
   REQUIRE(ls.size() == 3);
   for (std::size_t i = 0; i < ls.size(); ++i) {
      rapidjson::Document d;
      d.Parse(ls[i].c_str());
      const auto& g = test::golden_named("real_blocklog_snapshots_block_" + std::to_string(i + 1));
      CHECK(d["block_num"].GetUint() == i + 1);
      CHECK(std::string(d["id"].GetString()) == g.derived()["id_recomputed"].GetString());
      CHECK(d.HasMember("ref_block_prefix"));
      CHECK(std::string(d["producer"].GetString()) == g.fields()["producer"].GetString());
   }
   auto range = run({"print", "--blocks-dir", real_dir(), "--first", "2", "--last", "2"});
   CHECK(lines(range.out).size() == 1);
   auto arr = run({"print", "--blocks-dir", real_dir(), "--as-json-array", "--pretty"});
   rapidjson::Document a;
   a.Parse(arr.out.c_str());
   REQUIRE(a.IsArray());
   CHECK(a.Size() == 3);
}

TEST_CASE("blockdump: bad input and usage errors", "[blockdump]") {
   CHECK(run({"print"}).rc == 2);
   CHECK(run({"bogus"}).rc == 2);
   CHECK(run({"print", "--blocks-dir", real_dir(), "--first", "3", "--last", "2"}).rc == 2);
   auto missing = run({"info", "--blocks-dir", "/nonexistent"});
   CHECK(missing.rc == 1);
   CHECK(missing.err.find("No such file") != std::string::npos);

   auto dir = std::filesystem::temp_directory_path() / "blockdump_test_bad";
   std::filesystem::create_directories(dir);
   std::filesystem::copy_file(real_dir() + "/blocks.log", dir / "blocks.log",
                              std::filesystem::copy_options::overwrite_existing);
   std::vector<char> index(24, 0);
   std::ofstream(dir / "blocks.index", std::ios::binary).write(index.data(), 24);
   auto bad_index = run({"info", "--blocks-dir", dir.string()});
   CHECK(bad_index.rc == 1);
   CHECK(bad_index.out.find("index disagrees at block 1") != std::string::npos);
}

TEST_CASE("blockdump: an unknown command or option is named", "[blockdump]") {
   auto cmd = run({"bogus"});
   CHECK(cmd.rc == 2);
   CHECK(cmd.err.starts_with("blockdump: unknown command \"bogus\" (commands: info, print, verify"));
   auto opt = run({"print", "--blocks-dir", real_dir(), "--bogus"});
   CHECK(opt.rc == 2);
   CHECK(opt.err == "blockdump: unknown option --bogus for print\n");
   CHECK(opt.out.empty());
}
