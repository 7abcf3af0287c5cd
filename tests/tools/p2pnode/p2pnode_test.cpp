// p2pnode's command line, in-process through p2pnode::run: what is refused before the node
// opens, with the exit code p2pnode(1) documents.
#include "p2pnode.hpp"

#include "../../unit/store/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

struct run_result {
   int code;
   std::string out, err;
};

run_result run(const std::vector<std::string>& args) {
   std::ostringstream out, err;
   const int code = p2pnode::run(args, out, err);
   return {code, out.str(), err.str()};
}

} // namespace

TEST_CASE("p2pnode: a config.ini that is not a readable file is a usage error", "[p2pnode]") {
   core::test::temp_dir dir;
   const auto ini = dir.path / "config.ini";
   SECTION("a directory") { std::filesystem::create_directories(ini); }
   SECTION("a FIFO") { REQUIRE(::mkfifo(ini.c_str(), 0600) == 0); }
   SECTION("a dangling link") { std::filesystem::create_symlink(dir.path / "nowhere", ini); }
   // --genesis-json fails later, so a config.ini that was ignored shows as another error.
   auto r = run({"--data-dir", dir.path.string(), "--genesis-json", (dir.path / "none.json").string()});
   INFO(r.err);
   CHECK(r.code == 2);
   CHECK(r.err.starts_with("p2pnode: " + ini.string() + ": "));
   CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("p2pnode: --config-file and --genesis-json that cannot be read both exit 2", "[p2pnode]") {
   core::test::temp_dir dir;
   const auto missing = (dir.path / "missing").string();
   auto c = run({"--data-dir", dir.path.string(), "--config-file", missing});
   CHECK(c.code == 2);
   CHECK(c.err == "p2pnode: " + missing + ": cannot open: No such file or directory\n");
   auto g = run({"--data-dir", dir.path.string(), "--genesis-json", missing});
   CHECK(g.code == 2);
   CHECK(g.err == "p2pnode: --genesis-json " + missing + ": cannot open: No such file or directory\n");
   std::ofstream(dir.path / "bad.json") << "{\"initial_timestamp\": 5}";
   auto bad = run({"--data-dir", dir.path.string(), "--genesis-json", (dir.path / "bad.json").string()});
   INFO(bad.err);
   CHECK(bad.code == 2);
   CHECK(bad.err.find("initial_timestamp") != std::string::npos);
   // Nothing was created: the node never opened.
   CHECK_FALSE(std::filesystem::exists(dir.path / "chain"));
}

TEST_CASE("p2pnode: --help names the program", "[p2pnode]") {
   auto r = run({"--help"});
   CHECK(r.code == 0);
   CHECK(r.out.starts_with("p2pnode"));
   CHECK(r.out.find("Usage: p2pnode [OPTIONS]") != std::string::npos);
}
