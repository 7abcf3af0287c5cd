#include "blocklog/nodeos_block_log_repair.hpp"

#include "codec/file_input.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

namespace core {

namespace {

std::string os_error(const std::filesystem::path& p, const char* op, int e) {
   return fmt::format("{}: {}: {}", p.string(), op, std::strerror(e));
}

/// fsync of a directory, so renames inside it last.
result<bool> sync_dir(const std::filesystem::path& dir) {
   const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
   if (fd < 0)
      return unexpected{os_error(dir, "open", errno)};
   const bool ok = ::fsync(fd) == 0;
   const int e = errno;
   ::close(fd);
   if (!ok)
      return unexpected{os_error(dir, "fsync", e)};
   return true;
}

/// Writes `size` bytes of `src` from `offset` to a new file `dst` (refused when it exists), fsynced.
result<bool> copy_range_to(const std::filesystem::path& src, uint64_t offset, uint64_t size,
                           const std::filesystem::path& dst) {
   auto in = open_regular_file(src);
   if (!in)
      return unexpected{in.error()};
   const int out = ::open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
   if (out < 0) {
      const int e = errno;
      ::close(*in);
      return unexpected{os_error(dst, "create", e)};
   }
   std::vector<char> buf(1u << 20);
   std::string error;
   for (uint64_t done = 0; done < size && error.empty();) {
      const auto want = static_cast<std::size_t>(std::min<uint64_t>(buf.size(), size - done));
      const ssize_t n = ::pread(*in, buf.data(), want, static_cast<off_t>(offset + done));
      if (n <= 0) {
         error = n == 0 ? fmt::format("{}: ended before byte {}", src.string(), offset + size) : os_error(src, "read", errno);
         break;
      }
      for (ssize_t w = 0; w < n;) {
         const ssize_t k = ::write(out, buf.data() + w, static_cast<std::size_t>(n - w));
         if (k < 0) {
            error = os_error(dst, "write", errno);
            break;
         }
         w += k;
      }
      done += static_cast<uint64_t>(n);
   }
   if (error.empty() && ::fsync(out) != 0)
      error = os_error(dst, "fsync", errno);
   ::close(out);
   ::close(*in);
   if (!error.empty()) {
      std::error_code ec;
      std::filesystem::remove(dst, ec);
      return unexpected{error};
   }
   return true;
}

/// Writes `offsets` as blocks.index (u64 each, as nodeos does) to `dst`, fsynced.
result<bool> write_index(const std::vector<uint64_t>& offsets, const std::filesystem::path& dst) {
   const int fd = ::open(dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
   if (fd < 0)
      return unexpected{os_error(dst, "create", errno)};
   const auto* p = reinterpret_cast<const char*>(offsets.data());
   std::size_t left = offsets.size() * sizeof(uint64_t);
   while (left > 0) {
      const ssize_t k = ::write(fd, p, left);
      if (k < 0) {
         const int e = errno;
         ::close(fd);
         return unexpected{os_error(dst, "write", e)};
      }
      p += k;
      left -= static_cast<std::size_t>(k);
   }
   const bool ok = ::fsync(fd) == 0;
   const int e = errno;
   ::close(fd);
   if (!ok)
      return unexpected{os_error(dst, "fsync", e)};
   return true;
}

/// The repaired log read back: whole, first..last, its index the expected offsets.
result<bool> check_result(const std::filesystem::path& dir, const block_log_repair& r,
                          const std::vector<uint64_t>& offsets) {
   auto log = nodeos_block_log::open(dir / "blocks.log");
   if (!log)
      return unexpected{fmt::format("the repaired log does not read back: {}", log.error())};
   if (log->damaged())
      return unexpected{fmt::format("the repaired log is still damaged: {}", log->damage_message())};
   if (log->first_block_num() != r.first_block_num || log->last_block_num() != r.last_block_num)
      return unexpected{fmt::format("the repaired log holds {}..{}, expected {}..{}", log->first_block_num(),
                                    log->last_block_num(), r.first_block_num, r.last_block_num)};
   auto index = nodeos_block_log::read_index(dir / "blocks.index");
   if (!index || !*index || **index != offsets)
      return unexpected{std::string("the rebuilt blocks.index does not read back as written")};
   return true;
}

} // namespace

result<block_log_repair> repair_block_log(const std::filesystem::path& src_dir, const std::filesystem::path& out_dir) {
   std::error_code ec;
   const bool in_place = std::filesystem::weakly_canonical(src_dir, ec) == std::filesystem::weakly_canonical(out_dir, ec);
   const auto src_log = src_dir / "blocks.log";
   block_log_repair r;
   std::vector<uint64_t> offsets;
   uint64_t keep = 0, file_size = 0;
   {
      auto log = nodeos_block_log::open(src_log);
      if (!log)
         return unexpected{fmt::format("cannot repair: {}", log.error())};
      r.first_block_num = log->first_block_num();
      r.last_block_num = log->first_block_num() - 1;
      file_size = log->file_size();
      // Every entry from the first: a log may also be damaged before a whole last entry.
      auto cur = log->begin();
      for (;;) {
         const uint64_t at = cur.offset();
         auto e = cur.next();
         if (!e) {
            r.cut = nodeos_block_log::damage{at, r.last_block_num + 1, e.error().message()};
            break;
         }
         if (!e->has_value())
            break;
         offsets.push_back((*e)->offset);
         r.last_block_num = (*e)->block_num;
      }
      keep = r.cut ? r.cut->offset : file_size;
      r.cut_bytes = file_size - keep;
      auto index = nodeos_block_log::read_index(src_dir / "blocks.index");
      if (!index)
         r.index_before = index.error();
      else if (!*index)
         r.index_before = "absent";
      else if (**index == offsets)
         r.index_before = "ok";
      else
         r.index_before = fmt::format("{} entries for {} whole blocks", (*index)->size(), offsets.size());
      r.index_rebuilt = r.index_before != "ok";
   } // the log's mapping is released before the file is cut
   r.log_path = out_dir / "blocks.log";
   if (r.intact())
      return r;

   if (!in_place) {
      for (const char* f : {"blocks.log", "blocks.index"})
         if (std::filesystem::exists(std::filesystem::symlink_status(out_dir / f, ec)))
            return unexpected{fmt::format("{}: already exists; refusing to overwrite", (out_dir / f).string())};
      std::filesystem::create_directories(out_dir, ec);
      if (ec)
         return unexpected{fmt::format("{}: {}", out_dir.string(), ec.message())};
      const auto tmp_log = out_dir / "blocks.log.repair-tmp";
      const auto tmp_index = out_dir / "blocks.index.repair-tmp";
      std::filesystem::remove(tmp_log, ec);
      if (auto c = copy_range_to(src_log, 0, keep, tmp_log); !c)
         return unexpected{c.error()};
      if (auto w = write_index(offsets, tmp_index); !w) {
         std::filesystem::remove(tmp_log, ec);
         return unexpected{w.error()};
      }
      std::filesystem::rename(tmp_index, out_dir / "blocks.index", ec);
      if (!ec)
         std::filesystem::rename(tmp_log, r.log_path, ec);
      if (ec) {
         std::filesystem::remove(tmp_log, ec);
         std::filesystem::remove(tmp_index, ec);
         return unexpected{fmt::format("{}: rename into place: {}", out_dir.string(), ec.message())};
      }
      r.index_rebuilt = true;
   } else {
      if (r.cut) {
         // The bytes cut off are kept, so that nothing the log held is lost.
         r.kept_tail = src_dir / fmt::format("blocks.log.cut-at-{}", keep);
         if (auto c = copy_range_to(src_log, keep, r.cut_bytes, r.kept_tail); !c)
            return unexpected{c.error()};
         if (auto d = sync_dir(src_dir); !d)
            return unexpected{d.error()};
         const int fd = ::open(src_log.c_str(), O_WRONLY | O_CLOEXEC);
         if (fd < 0)
            return unexpected{os_error(src_log, "open", errno)};
         const bool ok = ::ftruncate(fd, static_cast<off_t>(keep)) == 0 && ::fsync(fd) == 0;
         const int e = errno;
         ::close(fd);
         if (!ok)
            return unexpected{os_error(src_log, "truncate", e)};
      }
      const auto tmp_index = src_dir / "blocks.index.repair-tmp";
      if (auto w = write_index(offsets, tmp_index); !w)
         return unexpected{w.error()};
      std::filesystem::rename(tmp_index, src_dir / "blocks.index", ec);
      if (ec)
         return unexpected{fmt::format("{}: rename into place: {}", (src_dir / "blocks.index").string(), ec.message())};
      r.index_rebuilt = true;
   }
   if (auto d = sync_dir(out_dir); !d)
      return unexpected{d.error()};
   if (auto c = check_result(out_dir, r, offsets); !c)
      return unexpected{c.error()};
   return r;
}

} // namespace core
