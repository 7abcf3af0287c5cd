// blockdump verify: header-state replay of nodeos logs from genesis.
#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "codec/codec.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>

namespace {
using test::real_blocks_dir;
using test::run_blockdump;

rapidjson::Document parse(const std::string& s) {
   rapidjson::Document d;
   d.Parse(s.c_str());
   return d;
}

/// Copies the real log into `dir` and flips one byte of block 2, `after_header` bytes past the end
/// of its block_header (where the producer signature starts).
void write_tampered_copy(const std::filesystem::path& dir, std::size_t after_header) {
   std::filesystem::copy_file(real_blocks_dir() + "/blocks.log", dir / "blocks.log");
   std::filesystem::copy_file(real_blocks_dir() + "/blocks.index", dir / "blocks.index");
   std::filesystem::permissions(dir / "blocks.log", std::filesystem::perms::owner_write,
                                std::filesystem::perm_options::add);
   auto log = core::nodeos_block_log::open(dir / "blocks.log");
   REQUIRE(log);
   auto index = core::nodeos_block_log::read_index(dir / "blocks.index");
   REQUIRE(index);
   const uint64_t block2 = (**index)[1];
   auto e = log->entry_at(block2);
   REQUIRE(e);
   auto b = log->decode(*e);
   REQUIRE(b);
   const core::signed_block_header* h = &*b;
   const std::size_t header_bytes = core::pack(static_cast<const core::block_header&>(*h)).size();
   const uint64_t at = block2 + header_bytes + after_header;
   std::fstream f(dir / "blocks.log", std::ios::in | std::ios::out | std::ios::binary);
   f.seekg(static_cast<std::streamoff>(at));
   char c = 0;
   f.read(&c, 1);
   c = static_cast<char>(c ^ 0x01);
   f.seekp(static_cast<std::streamoff>(at));
   f.write(&c, 1);
   REQUIRE(f.good());
}
} // namespace

TEST_CASE("blockdump verify: the real log verifies from its preamble genesis", "[blockdump]") {
   auto r = run_blockdump({"verify", "--json", "--blocks-dir", real_blocks_dir()});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   auto ls = r.lines();
   REQUIRE(ls.size() == 3);
   const uint32_t expected_proposed[] = {0, 2, 3};
   const uint32_t expected_lib[] = {0, 0, 2};
   for (std::size_t i = 0; i < ls.size(); ++i) {
      auto d = parse(ls[i]);
      REQUIRE(d.IsObject());
      const auto& g = test::golden_named("real_blocklog_snapshots_block_" + std::to_string(i + 1));
      CHECK(d["block_num"].GetUint() == i + 1);
      CHECK(std::string(d["id"].GetString()) == g.derived()["id_recomputed"].GetString());
      CHECK(std::string(d["producer"].GetString()) == g.fields()["producer"].GetString());
      CHECK(d["confirmed"].GetUint() == g.fields()["confirmed"].GetUint());
      CHECK(d["dpos_proposed_irreversible_blocknum"].GetUint() == expected_proposed[i]);
      CHECK(d["dpos_irreversible_blocknum"].GetUint() == expected_lib[i]);
      CHECK(d["active_schedule_version"].GetUint() == 0);
      CHECK(d["ok"].GetBool());
      CHECK(d["error"].IsNull());
   }
   CHECK(std::string(parse(ls[1])["producer"].GetString()) == "eosio");

   auto text = run_blockdump({"verify", "--blocks-dir", real_blocks_dir()});
   CHECK(text.rc == 0);
   CHECK(text.out.find("verified        3") != std::string::npos);
   CHECK(text.out.find("lib             2") != std::string::npos);
}

TEST_CASE("blockdump verify: --genesis-json must match the log's chain", "[blockdump]") {
   auto dir = test::scratch_dir("verify_genesis");
   const auto& g = test::golden_named("real_blocklog_snapshots_block_1").derived()["genesis"];
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   g.Accept(w);
   std::ofstream(dir / "genesis.json") << sb.GetString();
   auto ok = run_blockdump({"verify", "--blocks-dir", real_blocks_dir(), "--genesis-json", (dir / "genesis.json").string()});
   INFO(ok.err);
   CHECK(ok.rc == 0);

   std::string other = sb.GetString();
   other.replace(other.find("2020-01-01T00:00:00.000"), 23, "2020-01-01T00:00:00.500");
   std::ofstream(dir / "other.json") << other;
   auto bad = run_blockdump({"verify", "--blocks-dir", real_blocks_dir(), "--genesis-json", (dir / "other.json").string()});
   CHECK(bad.rc == 1);
   CHECK(bad.err.find("differs from the log's chain id") != std::string::npos);

   auto missing = run_blockdump({"verify", "--blocks-dir", real_blocks_dir(), "--genesis-json", (dir / "none.json").string()});
   CHECK(missing.rc == 1);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump verify: a flipped producer-signature byte fails block 2", "[blockdump]") {
   auto dir = test::scratch_dir("verify_tampered");
   // The signature follows the block_header: a variant index byte, then 65 bytes (recovery id, r, s).
   write_tampered_copy(dir, 1 + 20);
   // The tampered byte is outside the id, so the log still reads and links.
   CHECK(run_blockdump({"info", "--blocks-dir", dir.string()}).rc == 0);

   auto r = run_blockdump({"verify", "--json", "--blocks-dir", dir.string()});
   CHECK(r.rc == 1);
   CHECK(r.err.find("block 2: ") != std::string::npos);
   auto ls = r.lines();
   REQUIRE(ls.size() == 2); // stops at the first failure
   CHECK(parse(ls[0])["ok"].GetBool());
   auto d = parse(ls[1]);
   CHECK(d["block_num"].GetUint() == 2);
   CHECK_FALSE(d["ok"].GetBool());
   CHECK(d["error"].IsString());
   // The header still decodes: its id and producer are reported, the state fields are not.
   CHECK(std::string(d["id"].GetString()) == test::golden_named("real_blocklog_snapshots_block_2").derived()["id_recomputed"].GetString());
   CHECK(std::string(d["producer"].GetString()) == "eosio");
   CHECK(d["dpos_irreversible_blocknum"].IsNull());

   auto text = run_blockdump({"verify", "--blocks-dir", dir.string()});
   CHECK(text.rc == 1);
   CHECK(text.err.rfind("blockdump: block 2: ", 0) == 0);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump verify: a changed transaction receipt fails transaction_mroot of block 2", "[blockdump]") {
   auto dir = test::scratch_dir("verify_mroot");
   // After the 66-byte signature: varuint transaction count (1), receipt status (1), cpu_usage_us.
   // The receipt is outside the header, so the id and producer signature stay valid.
   write_tampered_copy(dir, 66 + 1 + 1);
   auto r = run_blockdump({"verify", "--blocks-dir", dir.string()});
   CHECK(r.rc == 1);
   CHECK(r.err.find("blockdump: block 2: transaction_mroot") == 0);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump verify: a log not starting at block 1 is reported as unsupported", "[blockdump]") {
   auto dir = test::scratch_dir("verify_partial");
   REQUIRE(run_blockdump({"extract", "--blocks-dir", real_blocks_dir(), "--first", "2", "--last", "3",
                          "--output-dir", dir.string()})
              .rc == 0);
   auto r = run_blockdump({"verify", "--blocks-dir", dir.string()});
   CHECK(r.rc == 1);
   CHECK(r.err.find("unsupported") != std::string::npos);
   CHECK(r.err.find("starts at block 2") != std::string::npos);
   CHECK(run_blockdump({"verify", "--blocks-dir", "/nonexistent"}).rc == 1);
   CHECK(run_blockdump({"verify"}).rc == 2);
   std::filesystem::remove_all(dir);
}
