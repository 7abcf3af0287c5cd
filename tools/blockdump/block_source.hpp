#pragma once
/// The sources blockdump reads: a nodeos blocks.log / blocks.index (--blocks-dir) or the node's
/// own RocksDB store inside a data dir (--data-dir, at data_dir/chain). `block_source` is what
/// info, print, stats, verify --data-dir and extract/trim/export walk; verify reads nodeos logs via open_source().
#include "blocklog/nodeos_block_log.hpp"
#include "chain/fork_database.hpp"
#include "store/rocksdb_chain_store.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace blockdump {

struct source_options {
   std::string blocks_dir; ///< nodeos blocks.log / blocks.index
   std::string data_dir;   ///< the node's own store (p2pnode data dir)
};

/// Registers --blocks-dir / --data-dir (exactly one is required).
void add_source_options(CLI::App& cmd, source_options& o);

/// The opened nodeos log, or one line saying why not (also for --data-dir, which only
/// block_source reads). Throws CLI::RequiredError (a usage error) when neither flag was given.
core::result<core::nodeos_block_log> open_source(const source_options& o);

/// Path of blocks.index beside the log.
std::filesystem::path index_path(const source_options& o);

/// The blocks first..last a command covers.
struct block_range {
   uint32_t first;
   uint32_t last;
};

/// The checks of --first / --last that need no source: block 0, --first after --last. Throws
/// CLI::ValidationError (exit 2).
void check_range_flags(std::optional<uint32_t> first, std::optional<uint32_t> last);

/// The one range check of every command taking --first / --last: each given one, else the
/// source's end (`src_first`..`src_last`, src_last < src_first for an empty source). Throws
/// CLI::ValidationError — a usage error, exit 2 — for block 0, --first after --last, or a
/// block outside the source ("--first 5 is outside the log (1..3)"). nullopt: the source is
/// empty and neither flag was given (nothing to do).
std::optional<block_range> resolve_range(uint32_t src_first, uint32_t src_last, std::optional<uint32_t> first,
                                         std::optional<uint32_t> last);

/// Why an entry of a nodeos log does not read; where the log is torn: what is intact, and that
/// `blockdump repair` cuts a copy to it. entry_error prefixes "block N: ".
std::string entry_error_detail(const core::nodeos_block_log& log, const core::decode_error& e);
std::string entry_error(const core::nodeos_block_log& log, uint32_t block_num, const core::decode_error& e);

/// The RocksDB store inside a data dir.
std::filesystem::path store_path(const std::filesystem::path& data_dir);
/// How import and data-dir output open a store for writing: read_write, fsyncing the LIB
/// commits a few times a second rather than once per block.
core::store_options import_store_options();

/// A store opened for reading: read_only, or — when a writer (a running node, or another handle
/// in this process) holds the store's lock — a secondary instance whose private directory is a
/// fresh temporary one, removed again on destruction.
class store_reader {
public:
   static core::result<std::unique_ptr<store_reader>> open(const std::filesystem::path& data_dir);
   ~store_reader();
   store_reader(const store_reader&) = delete;
   store_reader& operator=(const store_reader&) = delete;

   core::rocksdb_chain_store& store() { return *store_; }
   const core::rocksdb_chain_store& store() const { return *store_; }

private:
   store_reader() = default;
   std::unique_ptr<core::rocksdb_chain_store> store_;
   std::filesystem::path secondary_dir_; ///< empty for read_only
};

/// Whether some open file description holds a lock on `data_dir`'s store (its LOCK file).
bool store_is_locked(const std::filesystem::path& data_dir);

/// The reversible blocks of a store as a fork database rooted at its LIB (the stored validated
/// flags kept). Errors: no LIB state or the LIB block missing.
core::result<std::unique_ptr<core::fork_database>> load_fork_tree(const core::chain_store& store);

/// One block of a walk.
struct source_block {
   uint32_t block_num;
   std::span<const uint8_t> bytes; ///< packed signed_block (valid during the callback only)
   const core::signed_block& block;
   bool reversible;
};

/// A readable sequence of blocks: the log's entries, or a store's irreversible blocks followed
/// (on request) by the best reversible branch.
class block_source {
public:
   virtual ~block_source() = default;

   static core::result<std::unique_ptr<block_source>> open(const source_options& o);

   /// "nodeos-blocks-log" or "p2pnode-rocksdb".
   virtual const char* format() const = 0;
   virtual core::checksum256 chain_id() const = 0;
   virtual std::optional<core::genesis_state> genesis() const = 0;
   /// Irreversible range (for a nodeos log: every block in it).
   virtual uint32_t first_block_num() const = 0;
   virtual uint32_t last_block_num() const = 0;
   /// Blocks of the best reversible branch, oldest first (empty for a nodeos log).
   virtual std::vector<core::block_state_ptr> best_reversible() const = 0;
   /// Bytes on disk (the log file, or every file of the store).
   virtual uint64_t size_bytes() const = 0;

   using visitor = std::function<bool(const source_block&)>;
   /// Visits blocks first..last in order (irreversible, then the best reversible branch when
   /// `include_reversible`), stopping early when `f` returns false. Error: one line naming the
   /// block that could not be read.
   virtual core::result<bool> walk(uint32_t first, uint32_t last, bool include_reversible, const visitor& f) const = 0;

   /// Last block a walk with `include_reversible` reaches.
   uint32_t last_with_reversible() const {
      auto r = best_reversible();
      return r.empty() ? last_block_num() : r.back()->block_num();
   }
};

} // namespace blockdump
