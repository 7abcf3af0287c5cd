// rocksdb_chain_store specifics: open modes alongside a running writer, damage detection, and
// a writer killed with SIGKILL at random moments.
#include "store/rocksdb_chain_store.hpp"

#include "codec/codec.hpp"

#include "temp_dir.hpp"
#include "test_chain.hpp"

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <csignal>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

using namespace core;
using namespace core::test;

namespace {

std::unique_ptr<rocksdb_chain_store> open_store(const std::filesystem::path& p, store_open_mode m = store_open_mode::read_write) {
   auto r = rocksdb_chain_store::open(p, m);
   if (!r)
      FAIL(r.error());
   return std::move(*r);
}

/// Raw access to the store's column families, to damage it behind the store's back.
struct raw_db {
   std::unique_ptr<rocksdb::DB> db;
   std::vector<rocksdb::ColumnFamilyHandle*> handles;
   std::vector<std::string> names;
   explicit raw_db(const std::filesystem::path& p) {
      REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), p.string(), &names).ok());
      std::vector<rocksdb::ColumnFamilyDescriptor> descs;
      for (const auto& n : names)
         descs.emplace_back(n, rocksdb::ColumnFamilyOptions());
      rocksdb::DB* raw = nullptr;
      auto st = rocksdb::DB::Open(rocksdb::DBOptions(), p.string(), descs, &handles, &raw);
      REQUIRE(st.ok());
      db.reset(raw);
   }
   ~raw_db() {
      for (auto* h : handles)
         (void)db->DestroyColumnFamilyHandle(h).ok();
   }
   rocksdb::ColumnFamilyHandle* cf(const std::string& name) {
      for (std::size_t i = 0; i < names.size(); ++i)
         if (names[i] == name)
            return handles[i];
      FAIL("no column family " << name);
      return nullptr;
   }
};

std::string be32(uint32_t v) {
   return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

/// A store with blocks 1..10 irreversible.
std::vector<block_state_ptr> populate(const std::filesystem::path& p) {
   auto chain = make_chain(10);
   auto s = open_store(p);
   REQUIRE(s->initialize(dev_metadata(), *chain[0]));
   REQUIRE(s->commit_lib(commit_range(chain, 2, 10)));
   return chain;
}

void require_open_error(const std::filesystem::path& p, const std::string& fragment) {
   auto r = rocksdb_chain_store::open(p);
   REQUIRE_FALSE(r);
   INFO(r.error());
   CHECK(r.error().find(fragment) != std::string::npos);
   CHECK(r.error().find('\n') == std::string::npos);
}

} // namespace

TEST_CASE("rocksdb_chain_store: read_only and secondary beside a writer", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   auto chain = make_chain(20);
   auto w = open_store(db);
   REQUIRE(w->initialize(dev_metadata(), *chain[0]));
   REQUIRE(w->commit_lib(commit_range(chain, 2, 10)));

   store_options so;
   so.mode = store_open_mode::secondary;
   so.secondary_path = dir.path / "secondary";
   auto sr = rocksdb_chain_store::open(db, so);
   REQUIRE(sr);
   auto& sec = **sr;
   CHECK(sec.lib_num() == 10);
   CHECK(*sec.block_by_num(10) == *chain[9]->block);

   auto ro = open_store(db, store_open_mode::read_only);
   CHECK(ro->lib_num() == 10);
   CHECK(ro->metadata() == dev_metadata());
   CHECK(ro->verify_integrity());
   auto refused = ro->commit_lib(commit_range(chain, 11, 11));
   REQUIRE_FALSE(refused);
   CHECK(refused.error().find("read_only") != std::string::npos);

   REQUIRE(w->commit_lib(commit_range(chain, 11, 20)));
   CHECK(sec.lib_num() == 10);
   REQUIRE(sec.try_catch_up());
   CHECK(sec.lib_num() == 20);
   CHECK(sec.lib_state()->id == chain[19]->id());
   CHECK(*sec.block_by_num(20) == *chain[19]->block);
   CHECK(sec.num_by_id(chain[15]->id()) == 16u);
   CHECK(sec.verify_integrity());
   CHECK_FALSE(sec.commit_lib(lib_commit{}));
   CHECK_FALSE(w->try_catch_up());
}

TEST_CASE("rocksdb_chain_store: read_only on a missing store is an error", "[store]") {
   temp_dir dir;
   auto r = rocksdb_chain_store::open(dir.path / "nothing", store_open_mode::read_only);
   REQUIRE_FALSE(r);
   CHECK(r.error().find("no store") != std::string::npos);
}

TEST_CASE("rocksdb_chain_store: a new store appears at its path only once initialised", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   const auto building = std::filesystem::path(db.string() + ".new");
   {
      auto w = open_store(db);
      CHECK_FALSE(std::filesystem::exists(db / "CURRENT"));
      CHECK(std::filesystem::exists(building / "CURRENT"));
      // A reader (another process, or a tool after a kill) sees no store rather than an empty one.
      auto r = rocksdb_chain_store::open(db, store_open_mode::read_only);
      REQUIRE_FALSE(r);
      CHECK(r.error().find("no store") != std::string::npos);
   }
   // Dropped before initialize(): nothing is left behind.
   CHECK_FALSE(std::filesystem::exists(building));
   CHECK_FALSE(std::filesystem::exists(db / "CURRENT"));

   // What a creator killed before initialize() leaves is discarded by the next creation.
   std::filesystem::create_directories(building);
   { std::ofstream(building / "junk") << "left by a killed process"; }
   auto w = open_store(db);
   auto chain = make_chain(3);
   REQUIRE(w->initialize(dev_metadata(), *chain[0]));
   CHECK(std::filesystem::exists(db / "CURRENT"));
   CHECK_FALSE(std::filesystem::exists(building));
   CHECK(w->metadata());
   CHECK(w->lib_num() == 1u);
   // Still writable after the move.
   REQUIRE(w->commit_lib(commit_range(chain, 2, 3)));
   CHECK(w->lib_num() == 3u);
   w.reset();
   auto ro = open_store(db, store_open_mode::read_only);
   CHECK(ro->lib_num() == 3u);
   CHECK(ro->verify_integrity());
}

TEST_CASE("rocksdb_chain_store: a directory without a store is not overwritten", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   std::filesystem::create_directories(db);
   { std::ofstream(db / "precious") << "user data"; }
   auto r = rocksdb_chain_store::open(db);
   REQUIRE_FALSE(r);
   CHECK(r.error().find("holds no store") != std::string::npos);
   CHECK(std::filesystem::exists(db / "precious"));
}

TEST_CASE("rocksdb_chain_store: damaged stores are refused with a clear error", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   auto chain = populate(db);

   SECTION("last block deleted") {
      {
         raw_db raw(db);
         REQUIRE(raw.db->Delete(rocksdb::WriteOptions(), raw.cf("blocks"), be32(10)).ok());
      }
      require_open_error(db, "last irreversible block 10 is missing from blocks");
   }
   SECTION("LIB state corrupted") {
      {
         raw_db raw(db);
         REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("state"), "lib", "garbage").ok());
      }
      require_open_error(db, "state/lib does not decode");
   }
   SECTION("LIB state of another block") {
      {
         raw_db raw(db);
         auto other = pack(chain[8]->bhs);
         REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("state"), "lib",
                             rocksdb::Slice(reinterpret_cast<const char*>(other.data()), other.size()))
                     .ok());
      }
      require_open_error(db, "LIB state is block 9");
   }
   SECTION("last block torn") {
      {
         raw_db raw(db);
         REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("blocks"), be32(10), "\x01\x02").ok());
      }
      require_open_error(db, "block 10 does not decode");
   }
   SECTION("metadata missing") {
      {
         raw_db raw(db);
         REQUIRE(raw.db->Delete(rocksdb::WriteOptions(), raw.cf("meta"), "chain").ok());
      }
      require_open_error(db, "meta/chain");
   }
   SECTION("id index entry missing") {
      {
         raw_db raw(db);
         auto id = chain[9]->id();
         REQUIRE(raw.db->Delete(rocksdb::WriteOptions(), raw.cf("block_ids"),
                                rocksdb::Slice(reinterpret_cast<const char*>(id.data.data()), id.data.size()))
                     .ok());
      }
      require_open_error(db, "block_ids does not map block 10");
   }
   SECTION("middle block deleted: found by verify_integrity") {
      {
         raw_db raw(db);
         REQUIRE(raw.db->Delete(rocksdb::WriteOptions(), raw.cf("blocks"), be32(5)).ok());
      }
      auto s = open_store(db);
      auto v = s->verify_integrity();
      REQUIRE_FALSE(v);
      CHECK(v.error().find("found block 6 where 5 was expected") != std::string::npos);
   }
   SECTION("intact store verifies") {
      auto s = open_store(db);
      CHECK(s->verify_integrity());
   }
}

// ---- crash test ---------------------------------------------------------------------------------

// The writer: run by the crash test in a fresh process (fork + exec of this binary), it commits
// LIB advances of freshly signed blocks until killed.
TEST_CASE("rocksdb_chain_store: crash writer", "[.crash_writer]") {
   const char* dir = std::getenv("STORE_CRASH_DIR");
   if (!dir)
      return;
   auto r = rocksdb_chain_store::open(dir);
   if (!r)
      std::_Exit(3);
   auto& s = **r;
   // Opened: the test times its kill from here, not from a start-up whose length depends on the
   // machine's load.
   (void)!::write(1, "o", 1);
   const auto key = dev_key();
   std::mt19937 rng(static_cast<unsigned>(::getpid()));
   for (;;) {
      auto parent = *s.lib_state();
      lib_commit c;
      const uint32_t n = 1 + rng() % 30;
      for (uint32_t i = 0; i < n; ++i) {
         auto b = next_block(parent, key, 10);
         for (const auto& t : b->block->transactions)
            c.included_trxs.emplace_back(std::get<transaction_id_type>(t.trx), time_point_sec{b->block_num() + 100});
         parent = b->bhs;
         c.irreversible.push_back(b);
         s.put_reversible(*b);
      }
      c.expired_before = time_point_sec{parent.block_num};
      if (!s.commit_lib(c))
         std::_Exit(4);
   }
}

TEST_CASE("rocksdb_chain_store: survives SIGKILL during commits", "[store][crash]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   {
      auto s = open_store(db);
      REQUIRE(s->initialize(dev_metadata(), *genesis_block_state()));
   }
   const auto self = std::filesystem::read_symlink("/proc/self/exe");
   std::mt19937 rng(std::random_device{}());
   uint32_t lib = 1;
   const int rounds = 20;
   int advanced = 0;
   for (int round = 0; round < rounds; ++round) {
      int ready[2];
      REQUIRE(::pipe(ready) == 0);
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
         ::setenv("STORE_CRASH_DIR", db.c_str(), 1);
         ::close(ready[0]);
         ::dup2(ready[1], 1); // the writer's stdout: one byte once the store is open, then Catch2's report
         ::execl(self.c_str(), self.c_str(), "[.crash_writer]", static_cast<char*>(nullptr));
         std::_Exit(127);
      }
      ::close(ready[1]);
      char opened = 0;
      REQUIRE(::read(ready[0], &opened, 1) == 1);
      ::close(ready[0]);
      std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 500));
      REQUIRE(::kill(pid, SIGKILL) == 0);
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      INFO("round " << round);
      // Killed, not exited on an error of its own.
      REQUIRE(WIFSIGNALED(status));

      auto s = open_store(db);
      const uint32_t now = s->lib_num();
      CHECK(now >= lib);
      if (now > lib)
         ++advanced;
      auto v = s->verify_integrity();
      if (!v)
         FAIL(v.error());
      REQUIRE(s->lib_state());
      CHECK(s->lib_state()->block_num == now);
      CHECK(s->id_by_num(now) == s->lib_state()->id);
      auto last = s->block_by_num(now);
      REQUIRE(last);
      CHECK(last->calculate_id() == s->lib_state()->id);
      lib = now;
   }
   CHECK(advanced >= rounds / 2);
   CHECK(lib > 1);
}


namespace {
/// Block numbers of the reversible column family, read behind the store's back.
std::set<uint32_t> stored_reversible_nums(const std::filesystem::path& db, const std::vector<block_state_ptr>& chain) {
   raw_db raw(db);
   std::set<uint32_t> out;
   std::unique_ptr<rocksdb::Iterator> it(raw.db->NewIterator(rocksdb::ReadOptions(), raw.cf("reversible")));
   for (it->SeekToFirst(); it->Valid(); it->Next())
      for (const auto& b : chain)
         if (it->key() == rocksdb::Slice(reinterpret_cast<const char*>(b->id().data.data()), b->id().data.size()))
            out.insert(b->block_num());
   REQUIRE(it->status().ok());
   return out;
}
} // namespace

TEST_CASE("rocksdb_chain_store: reversible blocks are held back until a commit, persist or close", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   auto chain = make_chain(12);
   {
      auto s = open_store(db);
      REQUIRE(s->initialize(dev_metadata(), *chain[0]));
      for (uint32_t n = 2; n <= 8; ++n)
         s->put_reversible(*chain[n - 1]);
      CHECK(s->load_reversible().size() == 7); // held-back blocks are listed too
      // The commit makes 2..5 irreversible and writes the still-reversible 6..8 with it.
      REQUIRE(s->commit_lib(commit_range(chain, 2, 5)));
      s->put_reversible(*chain[8]);
      CHECK(s->load_reversible().size() == 4);
      REQUIRE(s->persist_reversible()); // 9
      s->put_reversible(*chain[9]);     // 10: written by the clean close
      CHECK(s->last_error().empty());
   }
   CHECK(stored_reversible_nums(db, chain) == std::set<uint32_t>{6, 7, 8, 9, 10});
   {
      auto s = open_store(db);
      auto rev = s->load_reversible();
      CHECK(rev.size() == 5);
      // Blocks written before the reopen are removed by a commit (tombstones where stored).
      REQUIRE(s->commit_lib(commit_range(chain, 6, 9)));
   }
   CHECK(stored_reversible_nums(db, chain) == std::set<uint32_t>{10});
}

TEST_CASE("rocksdb_chain_store: a store of another format is refused by name", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   {
      // Format 1 kept its duplicate index in trx_index and trx_expiry.
      rocksdb::Options o;
      o.create_if_missing = true;
      rocksdb::DB* raw = nullptr;
      REQUIRE(rocksdb::DB::Open(o, db.string(), &raw).ok());
      std::unique_ptr<rocksdb::DB> owned(raw);
      rocksdb::ColumnFamilyHandle* cf = nullptr;
      REQUIRE(owned->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "trx_index", &cf).ok());
      REQUIRE(owned->DestroyColumnFamilyHandle(cf).ok());
   }
   for (auto mode : {store_open_mode::read_write, store_open_mode::read_only}) {
      auto r = rocksdb_chain_store::open(db, mode);
      REQUIRE_FALSE(r);
      INFO(r.error());
      CHECK(r.error().find(fmt::format("not a format {} store", rocksdb_chain_store::format_version)) != std::string::npos);
      CHECK(r.error().find("trx_index") != std::string::npos);
   }
}

namespace {
/// block_header_state as format 2 stored it (before activated features and Savanna).
struct state_v2 {
   block_header_state s;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::make_nvp("block_num", s.block_num), cereal::make_nvp("id", s.id), cereal::make_nvp("header", s.header),
         cereal::make_nvp("a", s.dpos_proposed_irreversible_blocknum), cereal::make_nvp("b", s.dpos_irreversible_blocknum),
         cereal::make_nvp("c", s.active_schedule), cereal::make_nvp("d", s.pending_schedule),
         cereal::make_nvp("e", s.blockroot_merkle), cereal::make_nvp("f", s.producer_to_last_produced),
         cereal::make_nvp("g", s.producer_to_last_implied_irb), cereal::make_nvp("h", s.valid_block_signing_authority),
         cereal::make_nvp("i", s.confirm_count), cereal::make_nvp("j", s.additional_signatures));
   }
};

/// Rewrites a format 3 store at `db` as format 2 wrote it.
void downgrade_to_v2(const std::filesystem::path& db, const block_header_state& lib) {
   raw_db raw(db);
   const auto packed = pack(state_v2{lib});
   REQUIRE(raw.db->Put({}, raw.cf("state"), "lib",
                       rocksdb::Slice(reinterpret_cast<const char*>(packed.data()), packed.size()))
              .ok());
   REQUIRE(raw.db->Put({}, raw.cf("meta"), "version", std::string("\x02\0\0\0", 4)).ok());
}
} // namespace

TEST_CASE("rocksdb_chain_store: a format 2 store is migrated read-write and refused read-only", "[store][savanna]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   auto chain = make_chain(14);
   {
      auto s = open_store(db);
      REQUIRE(s->initialize(dev_metadata(), *chain[0]));
      REQUIRE(s->commit_lib(commit_range(chain, 2, 10)));
      for (uint32_t n = 11; n <= 14; ++n)
         s->put_reversible(*chain[n - 1]);
      REQUIRE(s->persist_reversible());
   }
   downgrade_to_v2(db, chain[9]->bhs);
   {
      auto r = rocksdb_chain_store::open(db, store_open_mode::read_only);
      REQUIRE_FALSE(r);
      INFO(r.error());
      CHECK(r.error().find("format 2 store") != std::string::npos);
      CHECK(r.error().find("open it read-write once") != std::string::npos);
   }
   {
      auto s = open_store(db);
      REQUIRE(s->lib_state());
      CHECK(s->lib_state()->id == chain[9]->id());
      REQUIRE(s->lib_state()->activated_features);
      CHECK(s->lib_state()->activated_features->empty());
      CHECK_FALSE(s->lib_state()->savanna);
      CHECK(s->load_reversible().empty()); // dropped: fetched again from peers
      CHECK(s->verify_integrity());
      CHECK(s->lib_num() == 10);
   }
   // Migrated once: now format 3, readable read-only.
   auto ro = rocksdb_chain_store::open(db, store_open_mode::read_only);
   REQUIRE(ro);
   CHECK((*ro)->lib_state()->id == chain[9]->id());
}

TEST_CASE("rocksdb_chain_store: a store of a newer format is refused in every mode, unchanged", "[store]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   auto chain = make_chain(3);
   {
      auto s = open_store(db);
      REQUIRE(s->initialize(dev_metadata(), *chain[0]));
   }
   const uint32_t newer = rocksdb_chain_store::format_version + 1;
   const std::string version{static_cast<char>(newer), 0, 0, 0};
   {
      raw_db raw(db);
      REQUIRE(raw.db->Put({}, raw.cf("meta"), "version", version).ok());
      SECTION("with this build's column families") {}
      SECTION("with a column family this build does not know") {
         rocksdb::ColumnFamilyHandle* cf = nullptr;
         REQUIRE(raw.db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "future", &cf).ok());
         REQUIRE(raw.db->DestroyColumnFamilyHandle(cf).ok());
      }
   }
   for (auto mode : {store_open_mode::read_write, store_open_mode::read_only}) {
      auto r = rocksdb_chain_store::open(db, mode);
      REQUIRE_FALSE(r);
      INFO(r.error());
      CHECK(r.error() == fmt::format("store {}: format {} is newer than this build reads (format {}): it was written by "
                                     "a newer p2pnode; run that version, or move the data dir away and sync again",
                                     db.string(), newer, rocksdb_chain_store::format_version));
   }
   raw_db raw(db);
   std::string stored;
   REQUIRE(raw.db->Get({}, raw.cf("meta"), "version", &stored).ok());
   CHECK(stored == version);
}

TEST_CASE("rocksdb_chain_store: a trimmed format 2 store is refused with what to do", "[store][savanna]") {
   temp_dir dir;
   const auto db = dir.path / "db";
   auto chain = make_chain(10);
   {
      auto s = open_store(db);
      REQUIRE(s->initialize(dev_metadata(), *chain[0]));
      REQUIRE(s->commit_lib(commit_range(chain, 2, 10)));
   }
   downgrade_to_v2(db, chain[9]->bhs);
   {
      raw_db raw(db);
      REQUIRE(raw.db->Delete({}, raw.cf("blocks"), be32(1)).ok());
      REQUIRE(raw.db->Put({}, raw.cf("meta"), "first", be32(2)).ok());
   }
   require_open_error(db, "starts at block 2");
   require_open_error(db, "move it away");
}
