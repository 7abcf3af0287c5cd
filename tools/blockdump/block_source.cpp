#include "block_source.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <random>

namespace blockdump {

void add_source_options(CLI::App& cmd, source_options& o) {
   auto* b = cmd.add_option("--blocks-dir", o.blocks_dir, "directory holding nodeos blocks.log and blocks.index");
   auto* d = cmd.add_option("--data-dir", o.data_dir, "p2pnode data directory (its store is DIR/chain)");
   b->excludes(d);
   d->excludes(b);
}

core::result<core::nodeos_block_log> open_source(const source_options& o) {
   if (o.blocks_dir.empty() && o.data_dir.empty())
      throw CLI::RequiredError("--blocks-dir or --data-dir");
   if (!o.data_dir.empty())
      return core::unexpected{std::string("--data-dir: this command reads nodeos logs only; use --blocks-dir")};
   return core::nodeos_block_log::open(std::filesystem::path(o.blocks_dir) / "blocks.log");
}

std::filesystem::path index_path(const source_options& o) {
   return std::filesystem::path(o.blocks_dir) / "blocks.index";
}

void check_range_flags(std::optional<uint32_t> first, std::optional<uint32_t> last) {
   for (const auto& [flag, v] : {std::pair{"--first", first}, std::pair{"--last", last}})
      if (v && *v == 0)
         throw CLI::ValidationError(flag, "block numbers start at 1");
   if (first && last && *first > *last)
      throw CLI::ValidationError("--first", fmt::format("{} is after --last {}", *first, *last));
}

std::optional<block_range> resolve_range(uint32_t src_first, uint32_t src_last, std::optional<uint32_t> first,
                                         std::optional<uint32_t> last) {
   check_range_flags(first, last);
   if (src_last < src_first) {
      if (!first && !last)
         return std::nullopt;
      throw CLI::ValidationError(first ? "--first" : "--last", "the source holds no blocks");
   }
   const std::string span = fmt::format("{}..{}", src_first, src_last);
   for (const auto& [flag, v] : {std::pair{"--first", first}, std::pair{"--last", last}})
      if (v && (*v < src_first || *v > src_last))
         throw CLI::ValidationError(flag, fmt::format("{} is outside the source ({})", *v, span));
   return block_range{first.value_or(src_first), last.value_or(src_last)};
}

std::string entry_error_detail(const core::nodeos_block_log& log, const core::decode_error& e) {
   if (const auto& d = log.damaged(); d && e.offset == d->offset)
      return log.damage_detail() + "; blockdump repair writes a copy cut to them";
   return e.message();
}

std::string entry_error(const core::nodeos_block_log& log, uint32_t block_num, const core::decode_error& e) {
   return fmt::format("block {}: {}", block_num, entry_error_detail(log, e));
}

std::filesystem::path store_path(const std::filesystem::path& data_dir) { return data_dir / "chain"; }

core::store_options import_store_options() {
   core::store_options so;
   so.mode = core::store_open_mode::read_write;
   return so;
}

bool store_is_locked(const std::filesystem::path& data_dir) {
   const auto lock = store_path(data_dir) / "LOCK";
   int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
   if (fd < 0)
      fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
   if (fd < 0)
      return false;
   // An OFD lock query conflicts with RocksDB's process-associated lock even when this very
   // process holds it, so a read_write handle in the same process is seen too.
   struct flock fl {};
   fl.l_type = F_WRLCK;
   fl.l_whence = SEEK_SET;
   const bool locked = ::fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
   ::close(fd);
   return locked;
}

core::result<std::unique_ptr<store_reader>> store_reader::open(const std::filesystem::path& data_dir) {
   std::unique_ptr<store_reader> r(new store_reader());
   core::store_options so;
   so.block_cache_bytes = 16u << 20;
   so.write_buffer_bytes = 16u << 20;
   if (!store_is_locked(data_dir)) {
      so.mode = core::store_open_mode::read_only;
   } else {
      std::random_device rd;
      r->secondary_dir_ = std::filesystem::temp_directory_path() /
                          fmt::format("blockdump-secondary-{}-{:08x}", ::getpid(), rd());
      std::error_code ec;
      std::filesystem::create_directories(r->secondary_dir_, ec);
      if (ec)
         return core::unexpected{fmt::format("{}: {}", r->secondary_dir_.string(), ec.message())};
      so.mode = core::store_open_mode::secondary;
      so.secondary_path = r->secondary_dir_;
   }
   auto s = core::rocksdb_chain_store::open(store_path(data_dir), so);
   if (!s)
      return core::unexpected{s.error()};
   r->store_ = std::move(*s);
   if (!r->store_->metadata())
      return core::unexpected{fmt::format("store {}: not initialised (no chain metadata)", store_path(data_dir).string())};
   return r;
}

store_reader::~store_reader() {
   store_.reset();
   if (!secondary_dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(secondary_dir_, ec);
   }
}

core::result<std::unique_ptr<core::fork_database>> load_fork_tree(const core::chain_store& store) {
   auto lib = store.lib_state();
   if (!lib)
      return core::unexpected{std::string("the store has no LIB state")};
   auto root = std::make_shared<core::block_state>();
   root->bhs = *lib;
   root->block = store.block_by_num(lib->block_num);
   root->validated = true;
   if (!root->block)
      return core::unexpected{fmt::format("LIB block {} is missing from the store", lib->block_num)};
   auto fdb = std::make_unique<core::fork_database>(root);
   auto rev = store.load_reversible();
   std::sort(rev.begin(), rev.end(), [](const auto& a, const auto& b) { return a->block_num() < b->block_num(); });
   for (auto& b : rev) {
      const bool valid = b->validated;
      b->validated = false;
      if (fdb->add(b) == core::fork_database::add_result::added && valid)
         fdb->mark_valid(b);
   }
   return fdb;
}

namespace {

class nodeos_source final : public block_source {
public:
   explicit nodeos_source(core::nodeos_block_log log) : log_(std::move(log)) {}
   const char* format() const override { return "nodeos-blocks-log"; }
   core::checksum256 chain_id() const override { return log_.chain_id(); }
   std::optional<core::genesis_state> genesis() const override { return log_.genesis(); }
   uint32_t first_block_num() const override { return log_.first_block_num(); }
   uint32_t last_block_num() const override { return log_.last_block_num(); }
   std::vector<core::block_state_ptr> best_reversible() const override { return {}; }
   uint64_t size_bytes() const override { return log_.file_size(); }

   core::result<bool> walk(uint32_t first, uint32_t last, bool, const visitor& f) const override {
      auto cur = log_.begin();
      for (uint32_t num = log_.first_block_num();; ++num) {
         auto e = cur.next();
         if (!e)
            return core::unexpected{entry_error(log_, num, e.error())};
         if (!e->has_value() || (*e)->block_num > last)
            return true;
         if ((*e)->block_num < first)
            continue;
         auto b = log_.decode(**e);
         if (!b)
            return core::unexpected{fmt::format("block {}: {}", (*e)->block_num, b.error().message())};
         if (!f(source_block{(*e)->block_num, (*e)->bytes, *b, false}))
            return true;
      }
   }

private:
   core::nodeos_block_log log_;
};

class store_source final : public block_source {
public:
   explicit store_source(std::unique_ptr<store_reader> r, std::filesystem::path dir)
      : reader_(std::move(r)), dir_(std::move(dir)) {}
   const core::rocksdb_chain_store& store() const { return reader_->store(); }
   const char* format() const override { return "p2pnode-rocksdb"; }
   core::checksum256 chain_id() const override { return store().metadata()->chain_id; }
   std::optional<core::genesis_state> genesis() const override { return store().metadata()->genesis; }
   uint32_t first_block_num() const override { return store().first_block_num(); }
   uint32_t last_block_num() const override { return store().lib_num(); }

   std::vector<core::block_state_ptr> best_reversible() const override {
      auto fdb = load_fork_tree(store());
      if (!fdb)
         return {};
      auto branch = (*fdb)->fetch_branch((*fdb)->head()->id());
      std::reverse(branch.begin(), branch.end());
      return branch;
   }

   uint64_t size_bytes() const override {
      uint64_t n = 0;
      std::error_code ec;
      for (const auto& e : std::filesystem::recursive_directory_iterator(store_path(dir_), ec))
         if (e.is_regular_file(ec))
            n += e.file_size(ec);
      return n;
   }

   core::result<bool> walk(uint32_t first, uint32_t last, bool include_reversible, const visitor& f) const override {
      const uint32_t lib = store().lib_num();
      for (uint32_t n = std::max(first, store().first_block_num()); n <= std::min(last, lib); ++n) {
         auto b = store().block_by_num(n);
         if (!b)
            return core::unexpected{fmt::format("block {}: {}", n,
                                                store().last_error().empty() ? "missing" : store().last_error())};
         auto bytes = core::pack(*b);
         if (!f(source_block{n, bytes, *b, false}))
            return true;
      }
      if (!include_reversible)
         return true;
      for (const auto& s : best_reversible()) {
         if (s->block_num() < first)
            continue;
         if (s->block_num() > last)
            break;
         auto bytes = core::pack(*s->block);
         if (!f(source_block{s->block_num(), bytes, *s->block, true}))
            return true;
      }
      return true;
   }

private:
   std::unique_ptr<store_reader> reader_;
   std::filesystem::path dir_;
};

} // namespace

core::result<std::unique_ptr<block_source>> block_source::open(const source_options& o) {
   if (o.blocks_dir.empty() && o.data_dir.empty())
      throw CLI::RequiredError("--blocks-dir or --data-dir");
   if (!o.data_dir.empty()) {
      auto r = store_reader::open(o.data_dir);
      if (!r)
         return core::unexpected{r.error()};
      return std::unique_ptr<block_source>(std::make_unique<store_source>(std::move(*r), o.data_dir));
   }
   auto log = core::nodeos_block_log::open(std::filesystem::path(o.blocks_dir) / "blocks.log");
   if (!log)
      return core::unexpected{log.error()};
   return std::unique_ptr<block_source>(std::make_unique<nodeos_source>(std::move(*log)));
}

} // namespace blockdump
