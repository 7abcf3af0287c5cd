// blockdump verify: header-state replay of nodeos logs from genesis, and --partial for logs
// that start later.
#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "blocklog/nodeos_block_log_writer.hpp"
#include "codec/codec.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <functional>

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

namespace {
std::string real_id(int n) {
   return test::golden_named("real_blocklog_snapshots_block_" + std::to_string(n)).derived()["id_recomputed"].GetString();
}

/// The real log's blocks 2 and 3, decoded.
std::vector<core::signed_block> real_blocks_2_3() {
   auto v = test::real_log_blocks();
   v.erase(v.begin());
   return v;
}

/// A v3 log of `blocks` (block 2 first) in `dir`, with the real log's chain id.
void write_log_from_2(const std::filesystem::path& dir, const std::vector<core::signed_block>& blocks) {
   auto src = core::nodeos_block_log::open(real_blocks_dir() + "/blocks.log");
   REQUIRE(src);
   auto w = core::nodeos_block_log_writer::create(dir, 2, src->chain_id());
   REQUIRE(w);
   for (const auto& b : blocks)
      REQUIRE(w->append(core::pack(b)));
   REQUIRE(w->commit());
}

/// verify --partial of blocks 2..3 where block 3 was changed by `tamper` (given block 3, then
/// block 2): fails at block 3 with an error starting with `why`, after block 2 verified.
using tamper_fn = std::function<void(core::signed_block&, const core::signed_block&)>;
void check_partial_failure(const std::string& name, const tamper_fn& tamper, const std::string& why) {
   auto dir = test::scratch_dir(name);
   auto blocks = real_blocks_2_3();
   tamper(blocks[1], blocks[0]);
   write_log_from_2(dir, blocks);
   auto r = run_blockdump({"verify", "--partial", "--json", "--blocks-dir", dir.string()});
   INFO(r.err);
   CHECK(r.rc == 1);
   CHECK(r.err.find("blockdump: block 3: " + why) != std::string::npos);
   auto ls = r.lines();
   REQUIRE(ls.size() == 2);
   CHECK(parse(ls[0])["ok"].GetBool());
   auto d = parse(ls[1]);
   CHECK(d["block_num"].GetUint() == 3);
   CHECK_FALSE(d["ok"].GetBool());
   CHECK(std::string(d["error"].GetString()).rfind(why, 0) == 0);
   CHECK(d["partial"].GetBool());
   std::filesystem::remove_all(dir);
}
} // namespace

TEST_CASE("blockdump verify --partial: a log starting at block 2 verifies what needs no earlier state", "[blockdump]") {
   auto dir = test::scratch_dir("verify_partial_ok");
   REQUIRE(run_blockdump({"extract", "--blocks-dir", real_blocks_dir(), "--first", "2", "--last", "3",
                          "--output-dir", dir.string()})
              .rc == 0);
   auto r = run_blockdump({"verify", "--partial", "--json", "--blocks-dir", dir.string()});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   CHECK(r.err.find("partial verification from block 2: header-state rules (schedule, producer signature, DPoS LIB) "
                    "are not checked") != std::string::npos);
   auto ls = r.lines();
   REQUIRE(ls.size() == 2);
   for (std::size_t i = 0; i < ls.size(); ++i) {
      auto d = parse(ls[i]);
      REQUIRE(d.IsObject());
      CHECK(d["block_num"].GetUint() == i + 2);
      CHECK(std::string(d["id"].GetString()) == real_id(int(i) + 2));
      CHECK(std::string(d["producer"].GetString()) == "eosio");
      CHECK(d["confirmed"].IsUint());
      CHECK(d["dpos_proposed_irreversible_blocknum"].IsNull());
      CHECK(d["dpos_irreversible_blocknum"].IsNull());
      CHECK(d["active_schedule_version"].IsNull());
      CHECK(d["ok"].GetBool());
      CHECK(d["error"].IsNull());
      REQUIRE(d.HasMember("partial"));
      CHECK(d["partial"].GetBool());
   }

   auto text = run_blockdump({"verify", "--partial", "--blocks-dir", dir.string()});
   CHECK(text.rc == 0);
   CHECK(text.out.find("verified        2\n") != std::string::npos);
   CHECK(text.out.find("blocks          2..3\n") != std::string::npos);
   CHECK(text.out.find("head            3 " + real_id(3)) != std::string::npos);
   CHECK(text.out.find("lib ") == std::string::npos);
   CHECK(text.out.find("result          ok") != std::string::npos);

   // Block 3 alone: its transactions' reference blocks are before the range or its parent.
   REQUIRE(run_blockdump({"trim", "--blocks-dir", dir.string(), "--first", "3", "--output-dir", (dir / "b").string()})
              .rc == 0);
   auto only3 = run_blockdump({"verify", "--partial", "--json", "--blocks-dir", (dir / "b").string()});
   INFO(only3.err);
   CHECK(only3.rc == 0);
   REQUIRE(only3.lines().size() == 1);
   CHECK(parse(only3.lines()[0])["block_num"].GetUint() == 3);
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump verify --partial: on a log starting at block 1 it verifies fully, with a note", "[blockdump]") {
   auto r = run_blockdump({"verify", "--partial", "--json", "--blocks-dir", real_blocks_dir()});
   CHECK(r.rc == 0);
   CHECK(r.err.find("--partial was not needed") != std::string::npos);
   auto ls = r.lines();
   REQUIRE(ls.size() == 3);
   auto d = parse(ls[2]);
   CHECK(d["dpos_irreversible_blocknum"].GetUint() == 2);
   CHECK_FALSE(d.HasMember("partial"));
}

TEST_CASE("blockdump verify --partial: without it a log starting at block 2 is refused, naming --partial", "[blockdump]") {
   auto dir = test::scratch_dir("verify_partial_refused");
   write_log_from_2(dir, real_blocks_2_3());
   auto r = run_blockdump({"verify", "--blocks-dir", dir.string()});
   CHECK(r.rc == 1);
   CHECK(r.err.find("starts at block 2") != std::string::npos);
   CHECK(r.err.find("--partial") != std::string::npos);
   CHECK(r.out.empty());
   std::filesystem::remove_all(dir);
}

TEST_CASE("blockdump verify --partial: a broken link fails the block naming the rule", "[blockdump]") {
   // Byte 10 of previous: the block number (bytes 0..3) stays, so the log still reads.
   check_partial_failure("verify_partial_link", [](core::signed_block& b, auto&) { b.previous.data[10] ^= 0x01; },
                         "previous ");
}

TEST_CASE("blockdump verify --partial: a timestamp not after the parent's fails the block", "[blockdump]") {
   check_partial_failure("verify_partial_time", [](core::signed_block& b, const core::signed_block& parent) { b.timestamp = parent.timestamp; },
                         "timestamp ");
}

TEST_CASE("blockdump verify --partial: a bad transaction_mroot fails the block", "[blockdump]") {
   check_partial_failure("verify_partial_mroot", [](core::signed_block& b, auto&) { b.transaction_mroot.data[5] ^= 0x01; },
                         "transaction_mroot_mismatch");
}

TEST_CASE("blockdump verify --partial: a non-canonical transaction signature fails the block", "[blockdump]") {
   check_partial_failure(
      "verify_partial_sig",
      [](core::signed_block& b, auto&) {
         REQUIRE_FALSE(b.transactions.empty());
         auto& pt = std::get<core::packed_transaction>(b.transactions[0].trx);
         REQUIRE_FALSE(pt.signatures.empty());
         std::get<core::signature::k1>(pt.signatures[0].storage).data[1] |= 0x80; // r >= 2^255
         // Decoded again so the transaction's derived state is rebuilt; the header commits to it.
         auto again = core::unpack<core::signed_block>(core::pack(b));
         REQUIRE(again);
         b = std::move(*again);
         b.transaction_mroot = b.calculate_transaction_mroot();
      },
      "receipt 0: bad_transaction/invalid_signature");
}
