// What rocksdb_chain_store does with a write-ahead log that lost data: a torn tail (a crash) is
// dropped, a damaged or truncated log is refused with what is lost and the way out, and a
// salvage open recovers what precedes the damage. (The SIGKILL tests in
// rocksdb_chain_store_test.cpp and tests/unit/chain/crash_test.cpp show crashes still open.)
#include "store/committed_lib.hpp"
#include "store/rocksdb_chain_store.hpp"

#include "temp_dir.hpp"
#include "test_chain.hpp"
#include "wal_damage.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <unistd.h>

using namespace core;
using namespace core::test;

namespace {

constexpr uint32_t committed_blocks = 150;

/// A store with blocks 1..150 irreversible, one synced commit per block (so every block is its
/// own record of the write-ahead log), closed without a flush: the log holds them all.
std::vector<block_state_ptr> one_commit_per_block(const std::filesystem::path& db) {
   auto chain = make_chain(committed_blocks);
   auto s = rocksdb_chain_store::open(db);
   REQUIRE(s);
   REQUIRE((*s)->initialize(dev_metadata(), *chain[0]));
   for (uint32_t n = 2; n <= committed_blocks; ++n)
      REQUIRE((*s)->commit_lib(commit_range(chain, n, n)));
   return chain;
}

std::string open_error(const std::filesystem::path& db, store_open_mode mode) {
   auto r = rocksdb_chain_store::open(db, mode);
   REQUIRE_FALSE(r);
   CHECK(r.error().find('\n') == std::string::npos);
   return r.error();
}

/// "irreversible blocks A..150 are lost": A, the first lost block, from the message.
uint32_t first_lost(const std::string& error) {
   const std::string tail = fmt::format("..{} are lost", committed_blocks);
   const auto end = error.find(tail);
   REQUIRE(end != std::string::npos);
   const auto start = error.rfind(' ', end);
   return static_cast<uint32_t>(std::stoul(error.substr(start + 1, end - start - 1)));
}

} // namespace

TEST_CASE("wal recovery: a log damaged in the middle is refused, naming the blocks it would lose", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   one_commit_per_block(db);
   const auto wal = newest_wal(db);
   overwrite(wal, std::filesystem::file_size(wal) / 2, 2000);

   for (auto mode : {store_open_mode::read_write, store_open_mode::read_only}) {
      const auto e = open_error(db, mode);
      INFO(e);
      CHECK(e.find("damaged write-ahead log") != std::string::npos);
      CHECK(e.find(fmt::format("LIB {} was committed", committed_blocks)) != std::string::npos);
      const uint32_t lost = first_lost(e);
      CHECK(lost > 2);
      CHECK(lost < committed_blocks);
      CHECK(e.find("--replay-blockchain") != std::string::npos);
      CHECK(e.find("re-sync") != std::string::npos);
   }

   // Salvage (what --replay-blockchain reads) recovers the blocks before the damage, and says so.
   store_options so;
   so.mode = store_open_mode::read_only;
   so.salvage = true;
   auto s = rocksdb_chain_store::open(db, so);
   REQUIRE(s);
   CHECK((*s)->lib_num() < committed_blocks);
   CHECK((*s)->verify_integrity());
   CHECK((*s)->salvage_note().find(fmt::format("..{} are lost", committed_blocks)) != std::string::npos);
}

TEST_CASE("wal recovery: a truncated log is refused: the store knows what it committed", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   one_commit_per_block(db);
   const auto wal = newest_wal(db);
   std::filesystem::resize_file(wal, std::filesystem::file_size(wal) / 2);

   const auto e = open_error(db, store_open_mode::read_write);
   INFO(e);
   CHECK(e.find(fmt::format("it had committed LIB block {}", committed_blocks)) != std::string::npos);
   const uint32_t lost = first_lost(e);
   CHECK(lost > 2);
   CHECK(lost < committed_blocks);
   CHECK(e.find("--replay-blockchain") != std::string::npos);
   CHECK(open_error(db, store_open_mode::read_only).find("are lost") != std::string::npos);
}

TEST_CASE("wal recovery: a torn last record, as a crash leaves it, is dropped", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   auto chain = one_commit_per_block(db);
   // Killed while writing the last commit: its record is cut short, and the committed-lib
   // record, written after the commit, still names the one before.
   const auto wal = newest_wal(db);
   std::filesystem::resize_file(wal, std::filesystem::file_size(wal) - 20);
   auto recorded = read_committed_lib(db);
   REQUIRE(recorded);
   REQUIRE(*recorded);
   CHECK((*recorded)->block_num == committed_blocks);
   const auto& before = chain[committed_blocks - 2];
   REQUIRE(write_committed_lib(db, committed_lib{(*recorded)->sequence + 1, before->block_num(), before->id()}, false));

   auto s = rocksdb_chain_store::open(db);
   if (!s)
      FAIL(s.error());
   CHECK((*s)->lib_num() == committed_blocks - 1);
   CHECK((*s)->lib_state()->id == before->id());
   CHECK((*s)->verify_integrity());
   // Writable again, and the record follows.
   REQUIRE((*s)->commit_lib(commit_range(chain, committed_blocks, committed_blocks)));
   s->reset();
   auto again = read_committed_lib(db);
   REQUIRE(again);
   REQUIRE(*again);
   CHECK((*again)->block_num == committed_blocks);
}

TEST_CASE("wal recovery: the committed-lib record survives a torn write of one slot", "[store]") {
   temp_dir dir;
   auto chain = make_chain(3);
   REQUIRE(write_committed_lib(dir.path, committed_lib{7, 2, chain[1]->id()}, true));
   REQUIRE(write_committed_lib(dir.path, committed_lib{8, 3, chain[2]->id()}, false));
   auto newest = read_committed_lib(dir.path);
   REQUIRE(newest);
   REQUIRE(*newest);
   CHECK((*newest)->block_num == 3);
   CHECK((*newest)->sequence == 8);
   // Slot 0 (sequence 8) torn: the other slot names the commit before.
   overwrite(committed_lib_path(dir.path), 30, 4);
   auto older = read_committed_lib(dir.path);
   REQUIRE(older);
   REQUIRE(*older);
   CHECK((*older)->block_num == 2);
   CHECK((*older)->id == chain[1]->id());
   CHECK((*older)->sequence == 7);
}

TEST_CASE("wal recovery: a store another handle holds is in use, naming the holder", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   auto chain = make_chain(2);
   auto w = rocksdb_chain_store::open(db);
   REQUIRE(w);
   REQUIRE((*w)->initialize(dev_metadata(), *chain[0]));
   const auto e = open_error(db, store_open_mode::read_write);
   INFO(e);
   CHECK(e.find(fmt::format("in use by another process (pid {})", ::getpid())) != std::string::npos);
   // Asking did not release the holder's lock.
   CHECK(open_error(db, store_open_mode::read_write).find("in use") != std::string::npos);
   REQUIRE((*w)->commit_lib(commit_range(chain, 2, 2)));
}
