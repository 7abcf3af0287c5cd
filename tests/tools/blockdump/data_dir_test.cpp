// blockdump on the node's data dir: import (hex lines in any order with a fork, a nodeos log),
// info / print / stats / extract / forkdb on the result, reading beside a writer, bad input.
#include "blockdump_fixture.hpp"
#include "chain_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "types/devnet.hpp"
#include "store/rocksdb_chain_store.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include <fstream>

namespace {
using test::run_blockdump;

rapidjson::Document json_of(const std::string& line) {
   rapidjson::Document d;
   d.Parse(line.c_str());
   REQUIRE(d.IsObject());
   return d;
}

const test::generated_chain& forked_chain() {
   static const test::generated_chain g = test::make_forked_chain();
   return g;
}

std::string str(const rapidjson::Value& v) { return v.GetString(); }

/// dir/dev.json: the generated chains' genesis.
std::string dev_genesis_json(const std::filesystem::path& dir) {
   std::ofstream(dir / "dev.json") << core::to_json(test::dev_genesis());
   return (dir / "dev.json").string();
}
} // namespace

TEST_CASE("blockdump import: shuffled hex lines with a fork branch, then forkdb and info", "[blockdump]") {
   const auto& g = forked_chain();
   auto dir = test::scratch_dir("import_hex");
   auto all = g.best;
   all.insert(all.end(), g.fork.begin(), g.fork.end());
   test::write_hex_file(dir / "blocks.hex", test::shuffled(all, 7));

   auto r = run_blockdump({"import", "--data-dir", (dir / "dd").string(), "--genesis-json", dev_genesis_json(dir),
                           "--hex-file", (dir / "blocks.hex").string(), "--json"});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   auto counts = json_of(r.out);
   CHECK(counts["invalid"].GetUint() == 0);
   CHECK(counts["unlinkable"].GetUint() == 0);
   CHECK(counts["applied"].GetUint() + counts["forked"].GetUint() + counts["old"].GetUint() +
            counts["duplicate"].GetUint() == all.size());
   CHECK(str(counts["head_block_id"]) == g.best.back()->calculate_id().to_string());

   auto info = run_blockdump({"info", "--json", "--data-dir", (dir / "dd").string()});
   INFO(info.err);
   REQUIRE(info.rc == 0);
   auto d = json_of(info.out);
   CHECK(str(d["format"]) == "p2pnode-rocksdb");
   CHECK(str(d["chain_id"]) == test::dev_genesis().compute_chain_id().to_string());
   CHECK(str(d["integrity"]) == "ok");
   CHECK(str(d["opened"]) == "read_only");
   CHECK(d["first_block_num"].GetUint() == 1);
   const uint32_t lib = d["lib_block_num"].GetUint();
   CHECK(d["last_block_num"].GetUint() == lib);
   CHECK(lib > 1);
   CHECK(lib < g.fork.front()->block_num());
   CHECK(d["head_block_num"].GetUint() == g.best.back()->block_num());
   CHECK(str(d["head_block_id"]) == g.best.back()->calculate_id().to_string());
   CHECK(d["reversible_blocks"].GetUint() == g.best.size() - lib + g.fork.size());

   auto fk = run_blockdump({"forkdb", "--json", "--data-dir", (dir / "dd").string()});
   INFO(fk.err);
   REQUIRE(fk.rc == 0);
   auto f = json_of(fk.out);
   CHECK(f["lib_block_num"].GetUint() == lib);
   CHECK(str(f["head_block_id"]) == g.best.back()->calculate_id().to_string());
   const auto& branches = f["branches"];
   REQUIRE(branches.Size() == 2);
   CHECK(branches[0]["best"].GetBool());
   CHECK(branches[0]["fork_point_num"].GetUint() == lib);
   const auto& best_blocks = branches[0]["blocks"];
   CHECK(str(best_blocks[best_blocks.Size() - 1]["id"]) == g.best.back()->calculate_id().to_string());
   CHECK_FALSE(branches[1]["best"].GetBool());
   CHECK(branches[1]["fork_point_num"].GetUint() == g.fork.front()->block_num() - 1);
   REQUIRE(branches[1]["blocks"].Size() == g.fork.size());
   for (std::size_t i = 0; i < g.fork.size(); ++i) {
      CHECK(str(branches[1]["blocks"][i]["id"]) == g.fork[i]->calculate_id().to_string());
      CHECK(str(branches[1]["blocks"][i]["producer"]) == g.fork[i]->producer.to_string());
   }
   auto text = run_blockdump({"forkdb", "--data-dir", (dir / "dd").string()});
   CHECK(text.rc == 0);
   CHECK(text.out.find("branch 0 (best)") != std::string::npos);

   // Importing the same file again: nothing new.
   auto again = run_blockdump({"import", "--data-dir", (dir / "dd").string(), "--hex-file",
                               (dir / "blocks.hex").string(), "--json"});
   REQUIRE(again.rc == 0);
   auto c2 = json_of(again.out);
   CHECK(c2["applied"].GetUint() == 0);
   CHECK(c2["old"].GetUint() + c2["duplicate"].GetUint() == all.size());
}

TEST_CASE("blockdump on a data dir imported from a nodeos log: info, print, stats, extract", "[blockdump]") {
   const auto& g = forked_chain();
   auto dir = test::scratch_dir("import_log");
   test::write_nodeos_log(dir / "src", g.best);
   const auto dd = (dir / "dd").string();
   auto r = run_blockdump({"import", "--data-dir", dd, "--blocks-dir", (dir / "src").string()});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   CHECK(r.out.find("invalid         0") != std::string::npos);

   auto d = json_of(run_blockdump({"info", "--json", "--data-dir", dd}).out);
   const uint32_t lib = d["lib_block_num"].GetUint();
   const uint32_t head = g.best.back()->block_num();
   CHECK(d["head_block_num"].GetUint() == head);

   auto pr = run_blockdump({"print", "--data-dir", dd});
   REQUIRE(pr.rc == 0);
   CHECK(pr.lines().size() == lib);
   auto prr = run_blockdump({"print", "--data-dir", dd, "--include-reversible", "--first", "2"});
   REQUIRE(prr.rc == 0);
   auto lines = prr.lines();
   REQUIRE(lines.size() == head - 1);
   CHECK(str(json_of(lines.back())["id"]) == g.best.back()->calculate_id().to_string());
   CHECK(json_of(lines.front())["block_num"].GetUint() == 2);

   auto st = run_blockdump({"stats", "--json", "--data-dir", dd});
   REQUIRE(st.rc == 0);
   auto s = json_of(st.out);
   CHECK(s["blocks"].GetUint() == lib);
   CHECK(s["last_block_num"].GetUint() == lib);

   // To a nodeos log, the reversible head included: same ids as the source.
   auto ex = run_blockdump({"extract", "--data-dir", dd, "--first", "2", "--last", std::to_string(head),
                            "--include-reversible", "--output-dir", (dir / "out").string()});
   INFO(ex.err);
   REQUIRE(ex.rc == 0);
   auto log = core::nodeos_block_log::open(dir / "out" / "blocks.log");
   REQUIRE(log);
   CHECK(log->first_block_num() == 2);
   CHECK(log->last_block_num() == head);
   // To a new data dir: needs block 1.
   auto bad = run_blockdump({"extract", "--data-dir", dd, "--first", "2", "--last", "5", "--format", "data-dir",
                             "--output-dir", (dir / "dd2").string()});
   CHECK(bad.rc == 2);
   auto ok = run_blockdump({"trim", "--data-dir", dd, "--format", "data-dir", "--output-dir", (dir / "dd3").string()});
   INFO(ok.err);
   REQUIRE(ok.rc == 0);
   auto d3 = json_of(run_blockdump({"info", "--json", "--data-dir", (dir / "dd3").string()}).out);
   CHECK(str(d3["integrity"]) == "ok");
   CHECK(d3["head_block_num"].GetUint() == lib);
   CHECK(str(d3["chain_id"]) == str(d["chain_id"]));
}

TEST_CASE("blockdump verify --data-dir: irreversible and best reversible blocks from genesis", "[blockdump]") {
   const auto& g = forked_chain();
   auto dir = test::scratch_dir("verify_dd");
   test::write_nodeos_log(dir / "src", g.best);
   const auto dd = (dir / "dd").string();
   REQUIRE(run_blockdump({"import", "--data-dir", dd, "--blocks-dir", (dir / "src").string()}).rc == 0);
   const uint32_t head = g.best.back()->block_num();

   auto v = run_blockdump({"verify", "--json", "--data-dir", dd});
   INFO(v.err);
   REQUIRE(v.rc == 0);
   auto lines = v.lines();
   REQUIRE(lines.size() == head); // block 1 .. the reversible head
   for (std::size_t i = 0; i < lines.size(); ++i) {
      auto j = json_of(lines[i]);
      CHECK(j["ok"].GetBool());
      CHECK(j["block_num"].GetUint() == i + 1);
      CHECK(str(j["id"]) == g.best[i]->calculate_id().to_string());
   }
   auto text = run_blockdump({"verify", "--data-dir", dd});
   REQUIRE(text.rc == 0);
   CHECK(text.out.find(fmt::format("head            {} {}", head, g.best.back()->calculate_id().to_string())) !=
         std::string::npos);
   CHECK(text.out.find("result          ok") != std::string::npos);

   // A genesis of another chain is refused before anything is verified.
   auto other = test::dev_genesis();
   other.initial_timestamp.us += 1'000'000;
   REQUIRE(core::write_genesis_json(other, dir / "other.json"));
   auto bad = run_blockdump({"verify", "--data-dir", dd, "--genesis-json", (dir / "other.json").string()});
   CHECK(bad.rc == 1);
   CHECK(bad.err.find("differs from the data dir's chain id") != std::string::npos);
}

TEST_CASE("blockdump info: a data dir held open read_write is read through a secondary instance", "[blockdump]") {
   auto g = test::make_linear_chain(20);
   auto dir = test::scratch_dir("secondary");
   test::write_hex_file(dir / "blocks.hex", g.best);
   const auto dd = (dir / "dd").string();
   REQUIRE(run_blockdump({"import", "--data-dir", dd, "--genesis-json", dev_genesis_json(dir), "--hex-file",
                          (dir / "blocks.hex").string()})
              .rc == 0);
   auto writer = core::rocksdb_chain_store::open(dir / "dd" / "chain", core::store_open_mode::read_write);
   REQUIRE(writer);
   auto info = run_blockdump({"info", "--json", "--data-dir", dd});
   INFO(info.err);
   REQUIRE(info.rc == 0);
   auto d = json_of(info.out);
   CHECK(str(d["opened"]) == "secondary");
   CHECK(str(d["integrity"]) == "ok");
   CHECK(d["head_block_num"].GetUint() == 20);
   CHECK(run_blockdump({"print", "--data-dir", dd}).lines().size() == d["lib_block_num"].GetUint());
   CHECK(run_blockdump({"forkdb", "--data-dir", dd}).rc == 0);
   // No secondary directory is left behind.
   for (const auto& e : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
      CHECK(e.path().filename().string().find("blockdump-secondary-" + std::to_string(::getpid()) + "-") ==
            std::string::npos);
}

TEST_CASE("blockdump import: a genesis that does not match is refused", "[blockdump]") {
   auto g = test::make_linear_chain(5);
   auto dir = test::scratch_dir("genesis");
   test::write_hex_file(dir / "blocks.hex", g.best);
   const auto dd = (dir / "dd").string();
   // A new data dir from a hex file needs a genesis.
   auto none = run_blockdump({"import", "--data-dir", dd, "--hex-file", (dir / "blocks.hex").string()});
   CHECK(none.rc == 1);
   CHECK(none.err.find("--genesis-json") != std::string::npos);

   auto other = test::dev_genesis();
   other.initial_timestamp = *core::time_point::from_string("2021-01-01T00:00:00.000");
   std::ofstream(dir / "other.json") << core::to_json(other);
   std::ofstream(dir / "dev.json") << core::to_json(test::dev_genesis());
   auto ok = run_blockdump({"import", "--data-dir", dd, "--genesis-json", (dir / "dev.json").string(), "--hex-file",
                            (dir / "blocks.hex").string()});
   INFO(ok.err);
   REQUIRE(ok.rc == 0);
   auto bad = run_blockdump({"import", "--data-dir", dd, "--genesis-json", (dir / "other.json").string(), "--hex-file",
                             (dir / "blocks.hex").string()});
   CHECK(bad.rc == 1);
   CHECK(bad.err.find("differs from the data dir's chain id") != std::string::npos);
   CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
}

TEST_CASE("blockdump import: an invalid block fails the run after the rest is imported", "[blockdump]") {
   auto g = test::make_linear_chain(30);
   auto dir = test::scratch_dir("invalid");
   auto blocks = g.best;
   auto tampered = std::make_shared<core::signed_block>(*blocks.back());
   tampered->transaction_mroot.data[0] ^= 1;
   blocks.back() = tampered;
   blocks = test::shuffled(blocks, 3);
   test::write_hex_file(dir / "blocks.hex", blocks);
   {
      std::ofstream(dir / "blocks.hex", std::ios::app) << "zz not hex\n";
   }
   std::ofstream(dir / "dev.json") << core::to_json(test::dev_genesis());
   const auto dd = (dir / "dd").string();
   auto r = run_blockdump({"import", "--data-dir", dd, "--genesis-json", (dir / "dev.json").string(), "--hex-file",
                           (dir / "blocks.hex").string(), "--json"});
   CHECK(r.rc == 1);
   CHECK(r.err.find("2 invalid block(s)") != std::string::npos);
   auto c = json_of(r.out);
   CHECK(c["invalid"].GetUint() == 2);
   CHECK(c["head_block_num"].GetUint() == 29);
   CHECK(str(c["head_block_id"]) == g.best[28]->calculate_id().to_string());
}

TEST_CASE("blockdump info: a data dir whose write-ahead log is damaged is refused, not read at an older LIB",
          "[blockdump]") {
   const auto& g = forked_chain();
   auto dir = test::scratch_dir("damaged_wal");
   test::write_hex_file(dir / "blocks.hex", g.best);
   auto r = run_blockdump({"import", "--data-dir", (dir / "dd").string(), "--genesis-json", dev_genesis_json(dir),
                           "--hex-file", (dir / "blocks.hex").string()});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   // The import's commits are in the store's write-ahead log; 2,000 bytes of it overwritten.
   std::filesystem::path wal;
   for (const auto& e : std::filesystem::directory_iterator(dir / "dd" / "chain"))
      if (e.path().extension() == ".log" && (wal.empty() || e.path() > wal))
         wal = e.path();
   REQUIRE_FALSE(wal.empty());
   REQUIRE(std::filesystem::file_size(wal) > 4000);
   {
      std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(wal) / 2));
      const std::string junk(2000, '\xa5');
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
   }
   for (const char* cmd : {"info", "print", "verify"}) {
      INFO(cmd);
      auto d = run_blockdump({cmd, "--data-dir", (dir / "dd").string()});
      CHECK(d.rc == 1);
      CHECK(d.err.find("damaged write-ahead log") != std::string::npos);
      CHECK(d.err.find("--replay-blockchain") != std::string::npos);
   }
   std::filesystem::remove_all(dir);
}
