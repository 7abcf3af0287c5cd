#pragma once
/// chain_store on RocksDB. Layout, one column family each:
///   blocks      BE u32 block num      → pack(signed_block)        irreversible blocks
///   block_ids   block id (32 bytes)   → BE u32 block num
///   reversible  block id              → u8 validated ‖ LE u32 n ‖ pack(block) (n bytes) ‖ pack(bhs)
///   state       "lib"                 → pack(block_header_state) of the LIB (with its Savanna state)
///   trx         BE u32 expiration ‖ trx id → ""   duplicate index; the expired ones are a prefix
///   meta        "version" → LE u32, "chain" → pack(chain_metadata), "first"/"last" → BE u32
/// commit_lib() and initialize() are each one atomic, fsynced WriteBatch (a syncing controller
/// spaces its LIB commits: controller_config::lib_commit_interval). put_reversible() is held in
/// memory until the next commit_lib() — which writes the blocks still reversible in its batch
/// and never writes those it makes irreversible — or persist_reversible(), or a clean close.
/// A new store is created at `<path>.new` and renamed to `<path>` by initialize(), so a store
/// at its path always has its chain metadata, whenever the creating process was killed.
/// Open checks consistency (see load_and_check in the source) and refuses a damaged store
/// with a one-line error; it never repairs. Recovery of the write-ahead log drops a torn tail
/// record (what a crash leaves) and refuses any other corruption, naming the irreversible blocks
/// it would lose; the recovered LIB is checked against the committed-lib record
/// (committed_lib.hpp), so a truncated log cannot roll the chain back silently either. A format 2
/// store (before Savanna) is migrated when opened read_write (store_migration.cpp) and refused
/// otherwise. Not thread-safe: use from one thread.
#include "chain/chain_store.hpp"
#include "store/committed_lib.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Status;
class WriteBatch;
} // namespace rocksdb

namespace core {

enum class store_open_mode {
   read_write, ///< creates the store if missing (atomically, see initialize); one instance per path
   read_only,  ///< OpenForReadOnly: a snapshot of the store at open; no writer may hold it
   secondary,  ///< OpenAsSecondary: follows a running read_write instance via try_catch_up()
};

struct store_options {
   store_open_mode mode = store_open_mode::read_write;
   /// Where a secondary instance keeps its own info log; empty: `<path>.secondary-<pid>`.
   std::filesystem::path secondary_path;
   /// Shared LRU cache for data, index and filter blocks.
   std::size_t block_cache_bytes = 64u << 20;
   /// Total memtable budget across all column families.
   std::size_t write_buffer_bytes = 64u << 20;
   /// Opens a store whose write-ahead log is damaged or lost committed blocks, recovering what
   /// precedes the damage (read_only only: for --replay-blockchain, which rebuilds from it);
   /// salvage_note() then says what was lost.
   bool salvage = false;
};

/// fsync of a directory, so a rename inside it survives a power cut. Error: one line.
result<bool> sync_directory(const std::filesystem::path& dir);

class rocksdb_chain_store final : public chain_store {
public:
   /// Bumped whenever the layout above changes. 3: block header states carry the activated
   /// protocol features and the Savanna state.
   static constexpr uint32_t format_version = 3;

   static result<std::unique_ptr<rocksdb_chain_store>> open(const std::filesystem::path& path,
                                                            const store_options& opts = {});
   static result<std::unique_ptr<rocksdb_chain_store>> open(const std::filesystem::path& path, store_open_mode mode) {
      store_options o;
      o.mode = mode;
      return open(path, o);
   }
   ~rocksdb_chain_store() override;
   rocksdb_chain_store(const rocksdb_chain_store&) = delete;
   rocksdb_chain_store& operator=(const rocksdb_chain_store&) = delete;

   std::optional<chain_metadata> metadata() const override { return meta_; }
   result<bool> initialize(const chain_metadata& meta, const block_state& genesis) override;
   std::optional<block_header_state> lib_state() const override { return lib_state_; }
   uint32_t first_block_num() const override { return first_; }
   uint32_t lib_num() const override { return last_; }
   std::shared_ptr<const signed_block> block_by_num(uint32_t num) const override;
   std::optional<block_id_type> id_by_num(uint32_t num) const override;
   std::optional<uint32_t> num_by_id(const block_id_type& id) const override;
   /// Held back (see above); a failure is recorded in last_error().
   void put_reversible(const block_state& b) override;
   /// The stored reversible blocks and those held back.
   std::vector<block_state_ptr> load_reversible() const override;
   result<bool> persist_reversible() override;
   result<bool> commit_lib(const lib_commit& c) override;
   /// After a failed write: closes the database without writing and opens it again (as after
   /// a crash, with the same checks). Reads meanwhile serve from the failed instance, or
   /// nothing while a reopen fails. Error: the reopen's.
   result<bool> recover() override;
   bool has_transaction(const transaction_id_type& id, time_point_sec expiration) const override;

   /// Secondary mode: applies what the primary wrote since the last call and reloads the
   /// cached metadata / LIB; the result is re-checked for consistency.
   result<bool> try_catch_up();
   /// Full scan: every block first..last present, decodable, linked to its predecessor and
   /// indexed by id; no stray blocks or ids; the LIB state matches the last block.
   result<bool> verify_integrity() const;

   store_open_mode mode() const { return mode_; }
   const std::filesystem::path& path() const { return path_; }
   /// Opened with store_options::salvage: what the damage lost ("" when nothing was).
   const std::string& salvage_note() const { return salvage_note_; }
   /// Last I/O or decode error of a call that cannot return one (reads, put_reversible).
   const std::string& last_error() const { return last_error_; }

private:
   enum cf : std::size_t { cf_default, cf_blocks, cf_block_ids, cf_reversible, cf_state, cf_trx, cf_meta, cf_count };

   rocksdb_chain_store() = default;
   rocksdb::ColumnFamilyHandle* h(cf c) const { return handles_[c]; }
   /// Where a store is built before initialize() moves it to its path.
   static std::filesystem::path creating_path(const std::filesystem::path& path);
   /// `committed`: what the store's record says it committed (for the message when the log is damaged).
   result<bool> open_db(const std::filesystem::path& dir, const std::optional<committed_lib>& committed = {});
   /// Why open_db failed on a log RocksDB found corrupt: the LIB the intact part of the log
   /// recovers against the committed one, and the way out.
   std::string damaged_log(const rocksdb::Status& st, const std::optional<committed_lib>& committed) const;
   /// The recovered LIB against the committed-lib record. Salvage: the note, never an error.
   result<bool> check_committed(const std::optional<committed_lib>& committed);
   /// Records the LIB just committed (see committed_lib.hpp).
   result<bool> record_commit(bool sync);
   void close_db();
   result<bool> finish_creation();
   result<bool> load_and_check();
   /// The format version a store of these column families records, read without writing;
   /// nullopt when it records none or cannot be read so (store_migration.cpp).
   static std::optional<uint32_t> recorded_format(const std::filesystem::path& dir, const std::vector<std::string>& families);
   /// The refusal of a store whose format `version` is above format_version.
   std::string newer_format(uint32_t version) const;
   /// Rewrites a format 2 store as format 3 in one synced batch (store_migration.cpp).
   result<bool> migrate_from_v2(uint32_t first, uint32_t last);
   /// Puts the held-back reversible blocks not in `removed` into `batch`, their ids into `staged`.
   rocksdb::Status stage_held_reversible(rocksdb::WriteBatch& batch, const std::unordered_set<block_id_type>& removed,
                                         std::vector<block_id_type>& staged) const;
   /// After the batch holding `staged` was written: those are stored, nothing is held back.
   void held_reversible_written(const std::vector<block_id_type>& staged);
   /// Fills stored_reversible_ from cf_reversible.
   result<bool> scan_reversible_ids();
   result<bool> writable() const;
   /// A write failed: no write is tried again until recover() reopened the database.
   result<bool> write_failed(std::string what);
   result<std::shared_ptr<const signed_block>> read_block(uint32_t num) const;
   std::string where() const;

   std::filesystem::path path_;
   store_open_mode mode_ = store_open_mode::read_write;
   store_options opts_;
   /// Opened read_write where no store was: the database lives at creating_path(path_) until
   /// initialize() moves it into place.
   bool creating_ = false;
   std::unique_ptr<rocksdb::DB> db_;
   std::vector<rocksdb::ColumnFamilyHandle*> handles_;
   std::shared_ptr<void> keepalive_; ///< options objects (cache, write buffer manager) shared with db_

   std::optional<chain_metadata> meta_;
   std::optional<block_header_state> lib_state_;
   uint32_t first_ = 0;
   uint32_t last_ = 0;
   /// No trx entry at or below this expiration exists (lower bound of the prune scan).
   uint32_t pruned_through_ = 0;
   mutable std::string last_error_;
   /// Why the last write failed; set until recover() succeeds (writes are refused meanwhile).
   std::optional<std::string> failed_;
   std::string salvage_note_;
   /// Sequence of the last committed-lib slot written or read.
   uint64_t record_sequence_ = 0;
   /// put_reversible() held back: block id → its packed reversible value.
   std::unordered_map<block_id_type, std::vector<uint8_t>> held_reversible_;
   /// Ids present in cf_reversible (scanned at open, kept as blocks are written and removed),
   /// so a removed block that was only ever held back costs no tombstone.
   std::unordered_set<block_id_type> stored_reversible_;
};

} // namespace core
