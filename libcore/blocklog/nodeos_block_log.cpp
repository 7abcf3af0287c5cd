#include "blocklog/nodeos_block_log.hpp"

#include "codec/codec.hpp"
#include "codec/file_input.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace core {

result<std::shared_ptr<const mapped_file>> mapped_file::open(const std::filesystem::path& p) {
   auto opened = open_regular_file(p);
   if (!opened)
      return unexpected{opened.error()};
   const int fd = *opened;
   struct stat st{};
   if (::fstat(fd, &st) != 0) {
      const int e = errno;
      ::close(fd);
      return unexpected{fmt::format("{}: {}", p.string(), std::strerror(e))};
   }
   std::shared_ptr<mapped_file> f(new mapped_file());
   f->size_ = static_cast<std::size_t>(st.st_size);
   if (f->size_ > 0) {
      void* m = ::mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (m == MAP_FAILED) {
         int e = errno;
         ::close(fd);
         return unexpected{fmt::format("{}: mmap: {}", p.string(), std::strerror(e))};
      }
      ::madvise(m, f->size_, MADV_SEQUENTIAL);
      f->data_ = static_cast<const uint8_t*>(m);
   }
   ::close(fd);
   return std::shared_ptr<const mapped_file>(std::move(f));
}

mapped_file::~mapped_file() {
   if (data_)
      ::munmap(const_cast<uint8_t*>(data_), size_);
}

result<nodeos_block_log> nodeos_block_log::open(const std::filesystem::path& path) {
   auto f = mapped_file::open(path);
   if (!f)
      return unexpected{f.error()};
   const std::string fname = path.filename().string();
   nodeos_block_log log;
   log.file_ = *f;
   auto all = log.file_->bytes();
   byte_reader r(all);
   log.version_ = r.read_int<uint32_t>();
   if (!r.ok())
      return unexpected{fmt::format("{}: too short for a block log preamble", fname)};
   if (log.version_ < min_version || log.version_ > max_version)
      return unexpected{fmt::format("{}: unsupported block log version {} (supported: {}..{})", fname, log.version_,
                                    min_version, max_version)};
   if (log.version_ != 1)
      log.first_block_num_ = r.read_int<uint32_t>();
   if (log.first_block_num_ == 0)
      return unexpected{fmt::format("{}: first block number is 0", fname)};
   if (log.version_ < 3 || log.first_block_num_ == 1) {
      genesis_state g;
      r.push_field("genesis_state");
      unpack_from(r, g);
      r.pop();
      log.genesis_ = g;
      log.chain_id_ = g.compute_chain_id();
   } else {
      r.push_field("chain_id");
      unpack_from(r, log.chain_id_);
      r.pop();
   }
   if (log.version_ != 1) {
      uint64_t t = r.read_int<uint64_t>();
      if (r.ok() && t != totem)
         return unexpected{fmt::format("{}: bad totem {:#x} at byte {} (expected {:#x})", fname, t, r.offset() - 8, totem)};
   }
   if (!r.ok())
      return unexpected{fmt::format("{}: preamble: {}", fname, r.error().message())};
   log.first_entry_offset_ = r.offset();
   log.last_block_num_ = log.first_block_num_ - 1;
   log.file_name_ = fname;
   if (all.size() == log.first_entry_offset_)
      return log;
   // The fast path: the last 8 bytes name the start of a whole last entry.
   if (all.size() >= log.first_entry_offset_ + 8) {
      uint64_t last_pos;
      std::memcpy(&last_pos, all.data() + all.size() - 8, 8);
      if (last_pos >= log.first_entry_offset_ && last_pos < all.size() - 8) {
         auto last = log.entry_at(last_pos);
         if (last && last->bytes.size() + 8 + last_pos == all.size()) {
            if (last->block_num < log.first_block_num_)
               return unexpected{fmt::format("{}: last block {} is before the first block {}", fname, last->block_num,
                                             log.first_block_num_)};
            log.last_block_num_ = last->block_num;
            return log;
         }
      }
   }
   // The end is not a whole entry: walk from the first to the last one that reads.
   auto cur = log.begin();
   for (;;) {
      const uint64_t at = cur.offset();
      auto e = cur.next();
      if (!e) {
         log.damage_ = damage{at, log.last_block_num_ + 1, e.error().message()};
         break;
      }
      if (!e->has_value())
         break; // unreachable: the fast path takes a log that ends with a whole entry
      log.last_block_num_ = (*e)->block_num;
   }
   return log;
}

namespace {
/// "blocks F..B-1 before it are intact"
std::string intact_before(const nodeos_block_log::damage& d, uint32_t first_block_num) {
   return d.block_num > first_block_num ? fmt::format("blocks {}..{} before it are intact", first_block_num, d.block_num - 1)
                                        : std::string("no block before it");
}
} // namespace

std::string nodeos_block_log::damage_message() const {
   if (!damage_)
      return {};
   return fmt::format("{}: torn at byte {}: block {} does not read ({}); {}", file_name_, damage_->offset,
                      damage_->block_num, damage_->what, intact_before(*damage_, first_block_num_));
}

std::string nodeos_block_log::damage_detail() const {
   if (!damage_)
      return {};
   return fmt::format("the log is torn at byte {}: the block does not read ({}); {}", damage_->offset, damage_->what,
                      intact_before(*damage_, first_block_num_));
}

result<nodeos_block_log::entry, decode_error> nodeos_block_log::entry_at(uint64_t offset) const {
   auto all = file_->bytes();
   if (offset >= all.size())
      return unexpected{decode_error{decode_errc::truncated, offset, "", "offset beyond the end of the log"}};
   byte_reader r(all.subspan(offset));
   signed_block_header h;
   unpack_from(r, h); // header first: cheap block number, and a clear error if it is garbage
   if (r.ok()) {
      byte_reader full(all.subspan(offset, std::min<std::size_t>(all.size() - offset, limits::max_message_bytes)));
      signed_block b;
      unpack_from(full, b);
      r = full;
   }
   if (!r.ok()) {
      decode_error e = r.error();
      e.offset += offset;
      return unexpected{e};
   }
   const std::size_t len = r.offset();
   if (offset + len + 8 > all.size())
      return unexpected{decode_error{decode_errc::truncated, offset + len, "position", "missing trailing position"}};
   uint64_t pos;
   std::memcpy(&pos, all.data() + offset + len, 8);
   if (pos != offset)
      return unexpected{decode_error{decode_errc::bad_value, offset + len, "position",
                                     fmt::format("trailing position {} does not match entry start {}", pos, offset)}};
   return entry{h.block_num(), offset, all.subspan(offset, len)};
}

result<signed_block, decode_error> nodeos_block_log::decode(const entry& e) const {
   auto b = unpack<signed_block>(e.bytes);
   if (!b) {
      decode_error err = b.error();
      err.offset += e.offset;
      return unexpected{err};
   }
   return b;
}

result<std::optional<nodeos_block_log::entry>, decode_error> nodeos_block_log::cursor::next() {
   if (offset_ >= log_->file_size())
      return std::optional<entry>{};
   if (const auto& d = log_->damage_; d && offset_ == d->offset)
      return unexpected{decode_error{decode_errc::truncated, offset_, "", log_->damage_detail()}};
   auto e = log_->entry_at(offset_);
   if (!e)
      return unexpected{e.error()};
   if (e->block_num != num_)
      return unexpected{decode_error{decode_errc::bad_value, offset_, "previous",
                                     fmt::format("block {} where block {} was expected", e->block_num, num_)}};
   offset_ += e->bytes.size() + 8;
   ++num_;
   return std::optional<entry>{*e};
}

result<std::optional<std::vector<uint64_t>>> nodeos_block_log::read_index(const std::filesystem::path& p) {
   std::error_code ec;
   if (!std::filesystem::exists(p, ec))
      return std::optional<std::vector<uint64_t>>{};
   auto f = mapped_file::open(p);
   if (!f)
      return unexpected{f.error()};
   auto b = (*f)->bytes();
   if (b.size() % 8)
      return unexpected{fmt::format("{}: size {} is not a multiple of 8", p.filename().string(), b.size())};
   std::vector<uint64_t> out(b.size() / 8);
   if (!out.empty())
      std::memcpy(out.data(), b.data(), b.size());
   return std::optional<std::vector<uint64_t>>{std::move(out)};
}

} // namespace core
