// p2pnode's command line, in-process through p2pnode::run: what is refused before the node
// opens, with the exit code p2pnode(1) documents.
#include "p2pnode.hpp"

#include "../../unit/store/temp_dir.hpp"
#include "node/data_dir_lock.hpp"
#include "store/rocksdb_chain_store.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <rocksdb/db.h>

#include <sys/stat.h>
#include <unistd.h>

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

TEST_CASE("p2pnode: an unknown option is named, not hidden behind another error", "[p2pnode]") {
   auto r = run({"--bogus"}); // without --data-dir, which CLI11 reported first
   CHECK(r.code == 2);
   CHECK(r.err == "p2pnode: unknown option --bogus\n");
   core::test::temp_dir dir;
   auto with_dir = run({"--data-dir", dir.path.string(), "--p2p-bogus", "1"});
   CHECK(with_dir.code == 2);
   CHECK(with_dir.err == "p2pnode: unknown option --p2p-bogus\n");
}

TEST_CASE("p2pnode: a data dir another p2pnode holds is refused with its pid, exit 1", "[p2pnode]") {
   core::test::temp_dir dir;
   auto held = core::data_dir_lock::acquire(dir.path); // flock is per open file: this process counts as another
   REQUIRE(held);
   auto r = run({"--data-dir", dir.path.string(), "--p2p-listen-endpoint", "127.0.0.1:0"});
   CHECK(r.code == 1);
   CHECK(r.err == fmt::format("p2pnode: data dir {} is in use by another p2pnode (pid {})\n", dir.path.string(), ::getpid()));
   CHECK_FALSE(std::filesystem::exists(dir.path / "chain")); // refused before the store opened
}

TEST_CASE("p2pnode: a store of a newer format is refused, exit 1", "[p2pnode]") {
   core::test::temp_dir dir;
   const auto chain = dir.path / "chain";
   const uint32_t newer = core::rocksdb_chain_store::format_version + 1;
   {
      rocksdb::Options o;
      o.create_if_missing = true;
      rocksdb::DB* raw = nullptr;
      REQUIRE(rocksdb::DB::Open(o, chain.string(), &raw).ok());
      std::unique_ptr<rocksdb::DB> db(raw);
      rocksdb::ColumnFamilyHandle* meta = nullptr;
      REQUIRE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "meta", &meta).ok());
      const char v[4] = {static_cast<char>(newer), 0, 0, 0};
      CHECK(db->Put({}, meta, "version", rocksdb::Slice(v, 4)).ok());
      REQUIRE(db->DestroyColumnFamilyHandle(meta).ok());
   }
   auto r = run({"--data-dir", dir.path.string(), "--p2p-listen-endpoint", "127.0.0.1:0"});
   INFO(r.err);
   CHECK(r.code == 1);
   CHECK(r.err.starts_with(fmt::format("p2pnode: store {}: format {} is newer than this build reads (format {})",
                                       chain.string(), newer, newer - 1)));
   CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}
