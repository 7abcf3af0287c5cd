#include "store/rocksdb_chain_store.hpp"

#include "codec/codec.hpp"
#include "store/store_lock.hpp"

#include <fmt/format.h>
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_set>

namespace core {
namespace {

/// RocksDB's diagnostics, warnings and worse, on stderr instead of a LOG file in the store: a
/// full disk fails that file first, and RocksDB 7.8's own file logger aborts on the next line
/// after a failed write.
class stderr_logger final : public rocksdb::Logger {
public:
   stderr_logger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
   using rocksdb::Logger::Logv;
   void Logv(const char* format, va_list ap) override {
      char line[1024];
      const int n = std::vsnprintf(line, sizeof line, format, ap);
      std::size_t len = n < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(n), sizeof line - 1);
      while (len > 0 && line[len - 1] == '\n')
         --len;
      std::fprintf(stderr, "rocksdb: %.*s\n", static_cast<int>(len), line);
   }
};


constexpr std::array<const char*, 7> cf_names = {"default", "blocks", "block_ids", "reversible", "state", "trx", "meta"};
constexpr const char* key_version = "version";
constexpr const char* key_chain = "chain";
constexpr const char* key_first = "first";
constexpr const char* key_last = "last";
constexpr const char* key_lib = "lib";

/// Memtable size of the blocks column family (the only one with much write volume).
constexpr std::size_t blocks_write_buffer_bytes = 16u << 20;
/// Memtable size of every other column family.
constexpr std::size_t small_write_buffer_bytes = 4u << 20;
/// Table files kept open by a read_write / read_only instance (a secondary keeps all open).
constexpr int max_open_files = 512;

std::string be32(uint32_t v) {
   std::string s(4, '\0');
   s[0] = static_cast<char>(v >> 24);
   s[1] = static_cast<char>(v >> 16);
   s[2] = static_cast<char>(v >> 8);
   s[3] = static_cast<char>(v);
   return s;
}

std::optional<uint32_t> from_be32(rocksdb::Slice s) {
   if (s.size() != 4)
      return std::nullopt;
   auto b = reinterpret_cast<const uint8_t*>(s.data());
   return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
}

template <std::size_t N>
rocksdb::Slice key_of(const std::array<uint8_t, N>& a) {
   return {reinterpret_cast<const char*>(a.data()), N};
}
rocksdb::Slice key_of(const checksum256& c) { return key_of(c.data); }

rocksdb::Slice slice_of(const std::vector<uint8_t>& v) { return {reinterpret_cast<const char*>(v.data()), v.size()}; }

std::span<const uint8_t> span_of(rocksdb::Slice s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

std::string expiry_key(uint32_t exp, const transaction_id_type& id) {
   auto k = be32(exp);
   k.append(reinterpret_cast<const char*>(id.data.data()), id.data.size());
   return k;
}

std::string one_line(std::string s) {
   std::replace(s.begin(), s.end(), '\n', ' ');
   return s;
}

std::string mode_name(store_open_mode m) {
   switch (m) {
   case store_open_mode::read_write: return "read_write";
   case store_open_mode::read_only: return "read_only";
   case store_open_mode::secondary: return "secondary";
   }
   return "?";
}

std::vector<uint8_t> pack_reversible(const block_state& b) {
   auto block = pack(*b.block);
   auto bhs = pack(b.bhs);
   std::vector<uint8_t> out;
   out.reserve(5 + block.size() + bhs.size());
   out.push_back(b.validated ? 1 : 0);
   const auto n = static_cast<uint32_t>(block.size());
   for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<uint8_t>(n >> (8 * i)));
   out.insert(out.end(), block.begin(), block.end());
   out.insert(out.end(), bhs.begin(), bhs.end());
   return out;
}

result<block_state_ptr> unpack_reversible(std::span<const uint8_t> in) {
   if (in.size() < 5)
      return unexpected{fmt::format("reversible entry of {} bytes is truncated", in.size())};
   uint32_t n = 0;
   for (int i = 0; i < 4; ++i)
      n |= uint32_t(in[1 + i]) << (8 * i);
   if (in.size() - 5 < n)
      return unexpected{fmt::format("reversible entry: block of {} bytes exceeds the entry", n)};
   auto block = unpack<signed_block>(in.subspan(5, n));
   if (!block)
      return unexpected{"reversible block: " + block.error().message()};
   auto bhs = unpack<block_header_state>(in.subspan(5 + n));
   if (!bhs)
      return unexpected{"reversible block state: " + bhs.error().message()};
   auto bs = std::make_shared<block_state>();
   bs->bhs = std::move(*bhs);
   bs->block = std::make_shared<const signed_block>(std::move(*block));
   bs->validated = in[0] != 0;
   return bs;
}

} // namespace

result<bool> sync_directory(const std::filesystem::path& dir) {
   const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
   if (fd < 0)
      return unexpected{fmt::format("open {}: {}", dir.string(), std::strerror(errno))};
   const int rc = ::fsync(fd);
   const int e = errno;
   ::close(fd);
   if (rc != 0)
      return unexpected{fmt::format("fsync {}: {}", dir.string(), std::strerror(e))};
   return true;
}

std::string rocksdb_chain_store::where() const { return "store " + path_.string(); }

result<std::unique_ptr<rocksdb_chain_store>> rocksdb_chain_store::open(const std::filesystem::path& path,
                                                                       const store_options& opts) {
   std::unique_ptr<rocksdb_chain_store> s(new rocksdb_chain_store());
   s->path_ = path;
   s->mode_ = opts.mode;
   s->opts_ = opts;
   const bool rw = opts.mode == store_open_mode::read_write;
   if (opts.salvage && opts.mode != store_open_mode::read_only)
      return unexpected{fmt::format("{}: salvage opens read_only only", s->where())};
   const bool exists = std::filesystem::exists(path / "CURRENT");
   if (!rw && !exists)
      return unexpected{fmt::format("{}: no store there (cannot open {} without one)", s->where(), mode_name(opts.mode))};
   if (rw && exists)
      if (auto pid = store_lock_holder(path))
         return unexpected{fmt::format("{}: in use by another process{}", s->where(),
                                       *pid > 0 ? fmt::format(" (pid {})", *pid) : std::string())};
   // Read before RocksDB recovers (a secondary's primary writes it after each commit): the
   // recovered LIB is then at least the recorded one unless commits were lost.
   std::optional<committed_lib> committed;
   if (exists) {
      auto c = read_committed_lib(path);
      if (!c)
         return unexpected{fmt::format("{}: {}", s->where(), c.error())};
      committed = *c;
      if (committed)
         s->record_sequence_ = committed->sequence;
   }
   std::filesystem::path dir = path;
   if (rw && !exists) {
      // A new store is built beside its final place and moved there once initialize() has
      // written its metadata, so `path` never holds a store without a chain.
      std::error_code ec;
      if (std::filesystem::exists(path, ec) && !std::filesystem::is_empty(path, ec))
         return unexpected{fmt::format("{}: the directory exists but holds no store; move it away first", s->where())};
      s->creating_ = true;
      dir = creating_path(path);
      std::filesystem::remove_all(dir, ec); // what an interrupted creation left
      std::filesystem::create_directories(dir, ec);
      if (ec)
         return unexpected{fmt::format("{}: create directory: {}", s->where(), ec.message())};
   }
   if (auto r = s->open_db(dir, committed); !r)
      return unexpected{r.error()};
   if (auto r = s->load_and_check(); !r)
      return unexpected{r.error()};
   if (auto r = s->check_committed(committed); !r)
      return unexpected{r.error()};
   if (rw)
      if (auto r = s->scan_reversible_ids(); !r)
         return unexpected{r.error()};
   return s;
}

namespace {
/// The way out of a store that lost irreversible blocks, as the error messages give it.
constexpr const char* damaged_store_remedy =
   "run p2pnode --replay-blockchain to rebuild the store from the blocks it still holds (the rest is then "
   "synced from peers), or move the store away and re-sync the chain from peers";
} // namespace

result<bool> rocksdb_chain_store::check_committed(const std::optional<committed_lib>& committed) {
   if (!committed || !meta_)
      return true;
   std::string lost;
   if (committed->block_num > last_) {
      lost = fmt::format("it had committed LIB block {} ({}), but its write-ahead log recovers LIB {} only: "
                         "irreversible blocks {}..{} are lost (a damaged or truncated log)",
                         committed->block_num, committed->id.to_string(), last_, last_ + 1, committed->block_num);
   } else if (committed->block_num >= first_) {
      auto b = read_block(committed->block_num);
      if (!b)
         return unexpected{b.error()};
      if (!*b || (*b)->calculate_id() != committed->id)
         lost = fmt::format("it had committed block {} as {}, but holds {} there", committed->block_num,
                            committed->id.to_string(), *b ? (*b)->calculate_id().to_string() : std::string("nothing"));
   }
   if (lost.empty())
      return true;
   if (opts_.salvage) {
      salvage_note_ = lost;
      return true;
   }
   return unexpected{fmt::format("{}: damaged: {}; {}", where(), lost, damaged_store_remedy)};
}

std::string rocksdb_chain_store::damaged_log(const rocksdb::Status& st, const std::optional<committed_lib>& committed) const {
   const std::string head = fmt::format("{}: damaged write-ahead log ({})", where(), one_line(st.ToString()));
   store_options probe_opts;
   probe_opts.mode = store_open_mode::read_only;
   probe_opts.salvage = true;
   probe_opts.block_cache_bytes = 1u << 20;
   probe_opts.write_buffer_bytes = 4u << 20;
   auto probe = open(path_, probe_opts);
   const std::string committed_text =
      committed ? fmt::format("LIB {} was committed", committed->block_num) : std::string("the LIB committed is not recorded");
   if (!probe)
      return fmt::format("{}: {}, and what precedes the damage does not open either ({}); {}", head, committed_text,
                         probe.error(), damaged_store_remedy);
   const uint32_t intact = (*probe)->lib_num();
   std::string lost;
   if (!committed)
      lost = fmt::format("its intact part recovers LIB {}; every irreversible block committed after it is lost", intact);
   else if (committed->block_num > intact)
      lost = fmt::format("{} but its intact part recovers LIB {}: irreversible blocks {}..{} are lost", committed_text, intact,
                         intact + 1, committed->block_num);
   else
      lost = fmt::format("{} and its intact part recovers it: the damage holds reversible blocks only", committed_text);
   return fmt::format("{}: {}; {}", head, lost, damaged_store_remedy);
}

result<bool> rocksdb_chain_store::record_commit(bool sync) {
   committed_lib c;
   c.sequence = record_sequence_ + 1;
   c.block_num = last_;
   c.id = lib_state_ ? lib_state_->id : block_id_type{};
   auto w = write_committed_lib(creating_ ? creating_path(path_) : path_, c, sync);
   if (!w)
      return unexpected{fmt::format("{}: {}", where(), w.error())};
   record_sequence_ = c.sequence;
   return true;
}

result<bool> rocksdb_chain_store::scan_reversible_ids() {
   stored_reversible_.clear();
   rocksdb::ReadOptions ro;
   ro.fill_cache = false;
   std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, h(cf_reversible)));
   for (it->SeekToFirst(); it->Valid(); it->Next()) {
      block_id_type id;
      if (it->key().size() == id.data.size()) {
         std::memcpy(id.data.data(), it->key().data(), id.data.size());
         stored_reversible_.insert(id);
      }
   }
   if (!it->status().ok())
      return unexpected{fmt::format("{}: scan reversible: {}", where(), one_line(it->status().ToString()))};
   return true;
}

std::filesystem::path rocksdb_chain_store::creating_path(const std::filesystem::path& path) {
   return std::filesystem::path(path.string() + ".new");
}

result<bool> rocksdb_chain_store::open_db(const std::filesystem::path& dir, const std::optional<committed_lib>& committed) {
   const auto& opts = opts_;
   const bool rw = opts.mode == store_open_mode::read_write;
   rocksdb::DBOptions dbo;
   // Every commit is a synced write, so a crash can leave at most one torn record at the log's
   // end, which this mode drops; any other corruption fails the open (damaged_log names what
   // is lost) instead of recovering silently to the point before it. Salvage recovers to
   // that point on purpose.
   dbo.wal_recovery_mode = opts.salvage ? rocksdb::WALRecoveryMode::kPointInTimeRecovery
                                        : rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
   dbo.create_if_missing = rw;
   dbo.create_missing_column_families = rw;
   dbo.db_write_buffer_size = opts.write_buffer_bytes;
   dbo.max_open_files = opts.mode == store_open_mode::secondary ? -1 : max_open_files;
   dbo.max_background_jobs = 2;
   dbo.keep_log_file_num = 4;
   dbo.max_manifest_file_size = 64u << 20;
   // Column families written rarely (meta, state) would otherwise pin every WAL file until
   // they flush: cap the log so RocksDB flushes them and drops old files.
   dbo.max_total_wal_size = std::max<std::size_t>(opts.write_buffer_bytes * 2, 32u << 20);
   dbo.info_log = std::make_shared<stderr_logger>();

   auto cache = rocksdb::NewLRUCache(opts.block_cache_bytes);
   rocksdb::BlockBasedTableOptions table;
   table.block_cache = cache;
   table.cache_index_and_filter_blocks = true;
   table.pin_l0_filter_and_index_blocks_in_cache = true;
   table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
   table.block_size = 16u << 10;
   keepalive_ = cache;

   const auto supported = rocksdb::GetSupportedCompressions();
   const bool lz4 = std::find(supported.begin(), supported.end(), rocksdb::kLZ4Compression) != supported.end();

   // A store of another layout (format 1 had trx_index and trx_expiry; a newer format may add
   // families) would fail to open with RocksDB's own words; name the cause instead.
   if (std::vector<std::string> existing; rocksdb::DB::ListColumnFamilies(dbo, dir.string(), &existing).ok())
      for (const auto& name : existing)
         if (std::find(cf_names.begin(), cf_names.end(), name) == cf_names.end()) {
            if (auto v = recorded_format(dir, existing); v && *v > format_version)
               return unexpected{newer_format(*v)};
            return unexpected{fmt::format("{}: not a format {} store (it has column family '{}'); this build reads format {} "
                                          "only (move the store away: a node then syncs its chain from its peers)",
                                          where(), format_version, name, format_version)};
         }

   std::vector<rocksdb::ColumnFamilyDescriptor> descs;
   for (std::size_t i = 0; i < cf_count; ++i) {
      rocksdb::ColumnFamilyOptions cfo;
      cfo.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
      cfo.compression = lz4 ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
      cfo.write_buffer_size = i == cf_blocks ? blocks_write_buffer_bytes : small_write_buffer_bytes;
      cfo.max_write_buffer_number = 2;
      if (i == cf_trx) {
         // Every transaction of every block is looked up here and nearly all are absent: a
         // memtable bloom filter answers those misses without searching the skip list.
         cfo.memtable_prefix_bloom_size_ratio = 0.1;
         cfo.memtable_whole_key_filtering = true;
      }
      descs.emplace_back(cf_names[i], cfo);
   }

   rocksdb::DB* raw = nullptr;
   rocksdb::Status st;
   handles_.clear();
   switch (opts.mode) {
   case store_open_mode::read_write: st = rocksdb::DB::Open(dbo, dir.string(), descs, &handles_, &raw); break;
   case store_open_mode::read_only:
      st = rocksdb::DB::OpenForReadOnly(dbo, dir.string(), descs, &handles_, &raw, false);
      break;
   case store_open_mode::secondary: {
      auto sec = opts.secondary_path.empty() ? std::filesystem::path(dir.string() + ".secondary-" + std::to_string(::getpid()))
                                             : opts.secondary_path;
      st = rocksdb::DB::OpenAsSecondary(dbo, dir.string(), sec.string(), descs, &handles_, &raw);
      break;
   }
   }
   if (st.IsCorruption() && !opts.salvage)
      return unexpected{damaged_log(st, committed)};
   if (!st.ok()) {
      if (auto pid = store_lock_holder(dir); pid && st.IsIOError())
         return unexpected{fmt::format("{}: in use by another process{}", where(),
                                       *pid > 0 ? fmt::format(" (pid {})", *pid) : std::string())};
      return unexpected{fmt::format("{}: open {}: {}", where(), mode_name(opts.mode), one_line(st.ToString()))};
   }
   db_.reset(raw);
   return true;
}

void rocksdb_chain_store::close_db() {
   if (!db_)
      return;
   if (mode_ == store_open_mode::read_write && meta_ && !failed_) {
      (void)persist_reversible(); // a failure loses only reversible blocks, fetched again
      (void)db_->SyncWAL().ok();  // reversible blocks (unsynced writes) survive a clean close
   }
   // Nothing to report to from here: failures lose nothing a synced commit wrote.
   for (auto* hd : handles_)
      if (hd)
         (void)db_->DestroyColumnFamilyHandle(hd).ok();
   handles_.clear();
   (void)db_->Close().ok();
   db_.reset();
}

result<bool> rocksdb_chain_store::finish_creation() {
   close_db();
   std::error_code ec;
   std::filesystem::remove(path_, ec); // the empty directory an older layout may have left
   std::filesystem::rename(creating_path(path_), path_, ec);
   if (ec)
      return unexpected{fmt::format("{}: move the new store into place: {}", where(), ec.message())};
   if (auto r = sync_directory(path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path()); !r)
      return unexpected{fmt::format("{}: {}", where(), r.error())};
   creating_ = false;
   if (auto r = open_db(path_); !r)
      return r;
   return load_and_check();
}

rocksdb_chain_store::~rocksdb_chain_store() {
   close_db();
   if (creating_) { // never initialised: nothing worth keeping
      std::error_code ec;
      std::filesystem::remove_all(creating_path(path_), ec);
   }
}

result<bool> rocksdb_chain_store::writable() const {
   if (mode_ != store_open_mode::read_write)
      return unexpected{fmt::format("{}: opened {}, writes are refused", where(), mode_name(mode_))};
   if (failed_)
      return unexpected{fmt::format("{}: a write failed ({}); writes wait for recover()", where(), *failed_)};
   return true;
}

result<bool> rocksdb_chain_store::load_and_check() {
   meta_.reset();
   lib_state_.reset();
   first_ = last_ = 0;
   rocksdb::ReadOptions ro;
   auto get = [&](cf c, const rocksdb::Slice& key, rocksdb::PinnableSlice& out) -> result<bool> {
      auto st = db_->Get(ro, h(c), key, &out);
      if (st.IsNotFound())
         return false;
      if (!st.ok())
         return unexpected{fmt::format("{}: read {}/{}: {}", where(), cf_names[c], key.ToString(true), one_line(st.ToString()))};
      return true;
   };
   auto damaged = [&](const std::string& what) { return unexpected{fmt::format("{}: damaged: {}", where(), what)}; };

   rocksdb::PinnableSlice v;
   auto has_version = get(cf_meta, key_version, v);
   if (!has_version)
      return unexpected{has_version.error()};
   if (!*has_version) {
      // A new store has nothing at all; anything else without a version is damage.
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, h(cf_blocks)));
      it->SeekToFirst();
      if (!it->status().ok())
         return unexpected{fmt::format("{}: scan blocks: {}", where(), one_line(it->status().ToString()))};
      rocksdb::PinnableSlice chain;
      auto has_chain = get(cf_meta, key_chain, chain);
      if (!has_chain)
         return unexpected{has_chain.error()};
      if (it->Valid() || *has_chain)
         return damaged("meta/version is missing but the store holds data");
      return true;
   }
   auto version = v.size() == 4 ? std::optional<uint32_t>(uint32_t(uint8_t(v[0])) | uint32_t(uint8_t(v[1])) << 8 |
                                                           uint32_t(uint8_t(v[2])) << 16 | uint32_t(uint8_t(v[3])) << 24)
                                : std::nullopt;
   if (!version)
      return damaged(fmt::format("meta/version is {} bytes, expected 4", v.size()));
   const bool migrate = *version == 2;
   if (*version > format_version)
      return unexpected{newer_format(*version)};
   if (*version != format_version && !migrate)
      return unexpected{fmt::format("{}: format version {} is not supported (this build reads {})", where(), *version,
                                    format_version)};

   rocksdb::PinnableSlice chain;
   auto has_chain = get(cf_meta, key_chain, chain);
   if (!has_chain)
      return unexpected{has_chain.error()};
   if (!*has_chain)
      return damaged("meta/chain (chain metadata) is missing");
   auto meta = unpack<chain_metadata>(span_of(chain));
   if (!meta)
      return damaged("meta/chain does not decode: " + meta.error().message());

   uint32_t bounds[2] = {};
   const char* bound_keys[2] = {key_first, key_last};
   for (int i = 0; i < 2; ++i) {
      rocksdb::PinnableSlice b;
      auto has = get(cf_meta, bound_keys[i], b);
      if (!has)
         return unexpected{has.error()};
      if (!*has)
         return damaged(fmt::format("meta/{} is missing", bound_keys[i]));
      auto n = from_be32(b);
      if (!n)
         return damaged(fmt::format("meta/{} is {} bytes, expected 4", bound_keys[i], b.size()));
      bounds[i] = *n;
   }
   if (bounds[0] == 0 || bounds[0] > bounds[1])
      return damaged(fmt::format("irreversible range {}..{} is invalid", bounds[0], bounds[1]));

   if (migrate)
      if (auto m = migrate_from_v2(bounds[0], bounds[1]); !m)
         return m;
   rocksdb::PinnableSlice st;
   auto has_state = get(cf_state, key_lib, st);
   if (!has_state)
      return unexpected{has_state.error()};
   if (!*has_state)
      return damaged("state/lib (LIB block state) is missing");
   auto lib = unpack<block_header_state>(span_of(st));
   if (!lib)
      return damaged("state/lib does not decode: " + lib.error().message());

   first_ = bounds[0];
   last_ = bounds[1];
   for (uint32_t n : {first_, last_}) {
      auto b = read_block(n);
      if (!b)
         return unexpected{b.error()};
      if (!*b)
         return damaged(fmt::format("{} irreversible block {} is missing from blocks", n == last_ ? "last" : "first", n));
      if (n != last_)
         continue;
      const auto id = (*b)->calculate_id();
      rocksdb::PinnableSlice idx;
      auto has_idx = get(cf_block_ids, key_of(id), idx);
      if (!has_idx)
         return unexpected{has_idx.error()};
      if (!*has_idx || from_be32(idx) != n)
         return damaged(fmt::format("block_ids does not map block {}'s id {} to {}", n, id.to_string(), n));
      if (lib->block_num != n || lib->id != id)
         return damaged(fmt::format("LIB state is block {} ({}) but the last irreversible block is {} ({})", lib->block_num,
                                    lib->id.to_string(), n, id.to_string()));
   }
   {
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, h(cf_blocks)));
      it->Seek(be32(last_ + 1));
      if (!it->status().ok())
         return unexpected{fmt::format("{}: scan blocks: {}", where(), one_line(it->status().ToString()))};
      if (it->Valid())
         return damaged(fmt::format("block {} is stored beyond the last irreversible block {}",
                                    from_be32(it->key()).value_or(0), last_));
   }
   meta_ = std::move(*meta);
   lib_state_ = std::move(*lib);
   return true;
}

result<std::shared_ptr<const signed_block>> rocksdb_chain_store::read_block(uint32_t num) const {
   if (!db_)
      return unexpected{fmt::format("{}: closed after a failed write, reopening", where())};
   rocksdb::PinnableSlice v;
   auto st = db_->Get(rocksdb::ReadOptions(), h(cf_blocks), be32(num), &v);
   if (st.IsNotFound())
      return std::shared_ptr<const signed_block>();
   if (!st.ok())
      return unexpected{fmt::format("{}: read block {}: {}", where(), num, one_line(st.ToString()))};
   auto b = unpack<signed_block>(span_of(v));
   if (!b)
      return unexpected{fmt::format("{}: damaged: block {} does not decode: {}", where(), num, b.error().message())};
   return std::shared_ptr<const signed_block>(std::make_shared<const signed_block>(std::move(*b)));
}

std::shared_ptr<const signed_block> rocksdb_chain_store::block_by_num(uint32_t num) const {
   auto b = read_block(num);
   if (!b) {
      last_error_ = b.error();
      return nullptr;
   }
   return *b;
}

std::optional<block_id_type> rocksdb_chain_store::id_by_num(uint32_t num) const {
   auto b = block_by_num(num);
   if (!b)
      return std::nullopt;
   return b->calculate_id();
}

std::optional<uint32_t> rocksdb_chain_store::num_by_id(const block_id_type& id) const {
   if (!db_)
      return std::nullopt;
   rocksdb::PinnableSlice v;
   auto st = db_->Get(rocksdb::ReadOptions(), h(cf_block_ids), key_of(id), &v);
   if (st.IsNotFound())
      return std::nullopt;
   if (!st.ok()) {
      last_error_ = fmt::format("{}: read block id {}: {}", where(), id.to_string(), one_line(st.ToString()));
      return std::nullopt;
   }
   return from_be32(v);
}

bool rocksdb_chain_store::has_transaction(const transaction_id_type& id, time_point_sec expiration) const {
   if (!db_)
      return false;
   rocksdb::PinnableSlice v;
   auto st = db_->Get(rocksdb::ReadOptions(), h(cf_trx), expiry_key(expiration.secs, id), &v);
   if (st.ok())
      return true;
   if (!st.IsNotFound())
      last_error_ = fmt::format("{}: read trx {}: {}", where(), id.to_string(), one_line(st.ToString()));
   return false;
}

void rocksdb_chain_store::put_reversible(const block_state& b) {
   if (auto w = writable(); !w) {
      last_error_ = w.error();
      return;
   }
   held_reversible_[b.id()] = pack_reversible(b);
}

rocksdb::Status rocksdb_chain_store::stage_held_reversible(rocksdb::WriteBatch& batch,
                                                          const std::unordered_set<block_id_type>& removed,
                                                          std::vector<block_id_type>& staged) const {
   for (const auto& [id, value] : held_reversible_) {
      if (removed.contains(id))
         continue;
      if (auto st = batch.Put(h(cf_reversible), key_of(id), slice_of(value)); !st.ok())
         return st;
      staged.push_back(id);
   }
   return rocksdb::Status::OK();
}

void rocksdb_chain_store::held_reversible_written(const std::vector<block_id_type>& staged) {
   stored_reversible_.insert(staged.begin(), staged.end());
   held_reversible_.clear();
}

result<bool> rocksdb_chain_store::persist_reversible() {
   if (held_reversible_.empty())
      return true;
   if (auto w = writable(); !w)
      return w;
   rocksdb::WriteBatch batch;
   std::vector<block_id_type> staged;
   if (auto st = stage_held_reversible(batch, {}, staged); !st.ok())
      return unexpected{fmt::format("{}: persist reversible: batch: {}", where(), one_line(st.ToString()))};
   if (auto st = db_->Write(rocksdb::WriteOptions(), &batch); !st.ok())
      return write_failed(fmt::format("persist reversible: write: {}", one_line(st.ToString())));
   held_reversible_written(staged);
   return true;
}

std::vector<block_state_ptr> rocksdb_chain_store::load_reversible() const {
   std::vector<block_state_ptr> out;
   rocksdb::ReadOptions ro;
   ro.fill_cache = false;
   std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, h(cf_reversible)));
   for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto b = unpack_reversible(span_of(it->value()));
      if (!b) {
         // Reversible blocks are best-effort: a bad one is skipped and fetched again from peers.
         last_error_ = fmt::format("{}: reversible {}: {}", where(), it->key().ToString(true), b.error());
         continue;
      }
      if (!held_reversible_.contains((*b)->id()))
         out.push_back(std::move(*b));
   }
   if (!it->status().ok())
      last_error_ = fmt::format("{}: scan reversible: {}", where(), one_line(it->status().ToString()));
   for (const auto& [id, value] : held_reversible_)
      if (auto b = unpack_reversible(value))
         out.push_back(std::move(*b));
   return out;
}

result<bool> rocksdb_chain_store::initialize(const chain_metadata& meta, const block_state& genesis) {
   if (auto w = writable(); !w)
      return w;
   if (meta_)
      return unexpected{std::string("store is already initialised")};
   if (!genesis.block)
      return unexpected{fmt::format("{}: genesis block state has no block", where())};
   const uint32_t n = genesis.block_num();
   rocksdb::WriteBatch b;
   std::string version(4, '\0');
   for (int i = 0; i < 4; ++i)
      version[i] = static_cast<char>(format_version >> (8 * i));
   rocksdb::Status st;
   auto put = [&](cf c, const rocksdb::Slice& k, const rocksdb::Slice& v) {
      if (st.ok())
         st = b.Put(h(c), k, v);
   };
   put(cf_meta, key_version, version);
   put(cf_meta, key_chain, slice_of(pack(meta)));
   put(cf_meta, key_first, be32(n));
   put(cf_meta, key_last, be32(n));
   put(cf_blocks, be32(n), slice_of(pack(*genesis.block)));
   put(cf_block_ids, key_of(genesis.id()), be32(n));
   put(cf_state, key_lib, slice_of(pack(genesis.bhs)));
   if (!st.ok())
      return unexpected{fmt::format("{}: initialize: batch: {}", where(), one_line(st.ToString()))};
   rocksdb::WriteOptions wo;
   wo.sync = true;
   st = db_->Write(wo, &b);
   if (!st.ok())
      return unexpected{fmt::format("{}: initialize: write: {}", where(), one_line(st.ToString()))};
   meta_ = meta;
   lib_state_ = genesis.bhs;
   first_ = last_ = n;
   if (auto r = record_commit(true); !r)
      return r;
   if (creating_)
      return finish_creation();
   return true;
}

result<bool> rocksdb_chain_store::commit_lib(const lib_commit& c) {
   if (auto w = writable(); !w)
      return w;
   if (!meta_)
      return unexpected{fmt::format("{}: commit_lib on a store that is not initialised", where())};
   uint32_t expect = last_ + 1;
   for (const auto& b : c.irreversible) {
      if (b->block_num() != expect)
         return unexpected{fmt::format("irreversible block {} does not follow {}", b->block_num(), expect - 1)};
      if (!b->block)
         return unexpected{fmt::format("irreversible block {} has no block", b->block_num())};
      ++expect;
   }

   rocksdb::WriteBatch batch;
   rocksdb::Status st;
   auto put = [&](cf cf_, const rocksdb::Slice& k, const rocksdb::Slice& v) {
      if (st.ok())
         st = batch.Put(h(cf_), k, v);
   };
   auto del = [&](cf cf_, const rocksdb::Slice& k) {
      if (st.ok())
         st = batch.Delete(h(cf_), k);
   };

   for (const auto& b : c.irreversible) {
      put(cf_blocks, be32(b->block_num()), slice_of(pack(*b->block)));
      put(cf_block_ids, key_of(b->id()), be32(b->block_num()));
   }
   if (!c.irreversible.empty()) {
      put(cf_state, key_lib, slice_of(pack(c.irreversible.back()->bhs)));
      put(cf_meta, key_last, be32(c.irreversible.back()->block_num()));
   }
   // Reversible blocks: the removed ones leave (a tombstone only where one was written), the
   // held-back ones still reversible are written with the commit.
   std::unordered_set<block_id_type> removed(c.removed_reversible.begin(), c.removed_reversible.end());
   for (const auto& id : c.removed_reversible)
      if (stored_reversible_.contains(id))
         del(cf_reversible, key_of(id));
   std::vector<block_id_type> staged;
   if (st.ok())
      st = stage_held_reversible(batch, removed, staged);

   // Duplicate index: one key per transaction, expiration ‖ id. Keys go in sorted (the
   // memtable's sequential-insert path); the expired ones, a prefix of the key space, leave.
   const uint32_t expired_before = c.expired_before.secs;
   std::vector<std::string> trx_keys;
   trx_keys.reserve(c.included_trxs.size());
   uint32_t pruned_through = std::max(pruned_through_, expired_before);
   for (const auto& [id, exp] : c.included_trxs) {
      if (exp.secs <= expired_before)
         continue;
      trx_keys.push_back(expiry_key(exp.secs, id));
      if (exp.secs <= pruned_through)
         pruned_through = exp.secs - 1; // below an earlier prune point: the next scan covers it
   }
   std::sort(trx_keys.begin(), trx_keys.end());
   for (const auto& k : trx_keys)
      put(cf_trx, k, {});
   if (expired_before > pruned_through_) {
      const std::string lower = be32(pruned_through_ + 1);
      const std::string upper = expired_before == UINT32_MAX ? std::string() : be32(expired_before + 1);
      rocksdb::Slice lower_s(lower), upper_s(upper);
      rocksdb::ReadOptions ro;
      ro.fill_cache = false;
      ro.iterate_lower_bound = &lower_s;
      if (!upper.empty())
         ro.iterate_upper_bound = &upper_s;
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, h(cf_trx)));
      for (it->Seek(lower_s); it->Valid(); it->Next())
         del(cf_trx, it->key());
      if (!it->status().ok())
         return unexpected{fmt::format("{}: commit_lib: scan trx: {}", where(), one_line(it->status().ToString()))};
   }
   if (!st.ok())
      return unexpected{fmt::format("{}: commit_lib: batch: {}", where(), one_line(st.ToString()))};

   // One atomic, fsynced WriteBatch per LIB advance.
   rocksdb::WriteOptions wo;
   wo.sync = true;
   st = db_->Write(wo, &batch);
   if (!st.ok())
      return write_failed(fmt::format("commit_lib: write: {}", one_line(st.ToString())));
   pruned_through_ = pruned_through;
   for (const auto& id : c.removed_reversible)
      stored_reversible_.erase(id);
   held_reversible_written(staged);
   if (!c.irreversible.empty()) {
      last_ = c.irreversible.back()->block_num();
      lib_state_ = c.irreversible.back()->bhs;
      // The commit is durable: a record that cannot be written (a full disk) only leaves it
      // naming an earlier commit, which open accepts; the next commit writes it again.
      if (auto r = record_commit(false); !r)
         last_error_ = r.error();
   }
   return true;
}

result<bool> rocksdb_chain_store::write_failed(std::string what) {
   failed_ = what;
   return unexpected{fmt::format("{}: {}", where(), what)};
}

result<bool> rocksdb_chain_store::recover() {
   if (mode_ != store_open_mode::read_write)
      return writable();
   if (!failed_)
      return true;
   // RocksDB 7.8 must not be written again after a failed write (its log writers assert on
   // reuse, and DB::Resume can leave them in place): close it without writing, and open it
   // again as after a crash. Every commit before the failure was synced, so nothing is lost;
   // the held-back reversible blocks stay in memory and go with the next write.
   close_db();
   auto committed = read_committed_lib(path_);
   if (!committed)
      return unexpected{fmt::format("{}: reopen: {}", where(), committed.error())};
   if (auto r = open_db(path_, *committed); !r)
      return unexpected{fmt::format("reopen after a failed write: {}", r.error())};
   if (auto r = load_and_check(); !r)
      return r;
   if (auto r = check_committed(*committed); !r)
      return r;
   if (auto r = scan_reversible_ids(); !r)
      return r;
   failed_.reset();
   return true;
}

result<bool> rocksdb_chain_store::try_catch_up() {
   if (mode_ != store_open_mode::secondary)
      return unexpected{fmt::format("{}: try_catch_up needs a secondary instance, this one is {}", where(), mode_name(mode_))};
   // The record first: what the primary wrote by then, the catch-up below sees.
   auto committed = read_committed_lib(path_);
   if (!committed)
      return unexpected{fmt::format("{}: {}", where(), committed.error())};
   auto st = db_->TryCatchUpWithPrimary();
   if (!st.ok())
      return unexpected{fmt::format("{}: catch up with primary: {}", where(), one_line(st.ToString()))};
   if (auto r = load_and_check(); !r)
      return r;
   return check_committed(*committed);
}

result<bool> rocksdb_chain_store::verify_integrity() const {
   if (!meta_)
      return true;
   auto damaged = [&](const std::string& what) { return unexpected{fmt::format("{}: damaged: {}", where(), what)}; };
   rocksdb::ReadOptions ro;
   ro.fill_cache = false;
   std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, h(cf_blocks)));
   uint32_t expect = first_;
   uint64_t count = 0;
   block_id_type prev_id;
   for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto n = from_be32(it->key());
      if (!n)
         return damaged(fmt::format("blocks key {} is not a block number", it->key().ToString(true)));
      if (*n != expect)
         return damaged(fmt::format("blocks: found block {} where {} was expected", *n, expect));
      if (*n > last_)
         return damaged(fmt::format("block {} is stored beyond the last irreversible block {}", *n, last_));
      auto b = unpack<signed_block>(span_of(it->value()));
      if (!b)
         return damaged(fmt::format("block {} does not decode: {}", *n, b.error().message()));
      if (*n != first_ && b->previous != prev_id)
         return damaged(fmt::format("block {} does not link to block {}", *n, *n - 1));
      prev_id = b->calculate_id();
      if (b->block_num() != *n)
         return damaged(fmt::format("block stored as {} is block {}", *n, b->block_num()));
      if (num_by_id(prev_id) != *n)
         return damaged(fmt::format("block_ids does not map block {}'s id {} to {}", *n, prev_id.to_string(), *n));
      ++expect;
      ++count;
   }
   if (!it->status().ok())
      return unexpected{fmt::format("{}: scan blocks: {}", where(), one_line(it->status().ToString()))};
   if (expect != last_ + 1)
      return damaged(fmt::format("blocks end at {}, the last irreversible block is {}", expect - 1, last_));
   if (!lib_state_ || lib_state_->id != prev_id)
      return damaged(fmt::format("LIB state does not match the last irreversible block {}", last_));
   std::unique_ptr<rocksdb::Iterator> ids(db_->NewIterator(ro, h(cf_block_ids)));
   uint64_t id_count = 0;
   for (ids->SeekToFirst(); ids->Valid(); ids->Next())
      ++id_count;
   if (!ids->status().ok())
      return unexpected{fmt::format("{}: scan block_ids: {}", where(), one_line(ids->status().ToString()))};
   if (id_count != count)
      return damaged(fmt::format("block_ids holds {} ids for {} blocks", id_count, count));
   return true;
}

} // namespace core
