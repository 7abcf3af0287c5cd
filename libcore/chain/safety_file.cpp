#include "chain/safety_file.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace core {

namespace {

uint32_t crc_of(std::span<const uint8_t> bytes) {
   return static_cast<uint32_t>(::crc32(0, bytes.data(), static_cast<uInt>(bytes.size())));
}

/// Spring's pack_v0(block_ref): the generations are not stored.
void pack_ref(byte_writer& w, const block_ref& r) {
   pack_to(w, r.block_id);
   pack_to(w, r.timestamp);
   pack_to(w, r.finality_digest);
}

void unpack_ref(byte_reader& r, block_ref& ref) {
   unpack_from(r, ref.block_id);
   unpack_from(r, ref.timestamp);
   unpack_from(r, ref.finality_digest);
}

/// Writes all of `bytes` to `fd`. False with errno set on failure.
bool write_all(int fd, std::span<const uint8_t> bytes) {
   while (!bytes.empty()) {
      const ssize_t n = ::write(fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR)
         continue;
      if (n <= 0)
         return false;
      bytes = bytes.subspan(static_cast<std::size_t>(n));
   }
   return true;
}

std::string errno_text(const std::filesystem::path& p, std::string_view what) {
   return fmt::format("finalizer safety file {}: {}: {}", p.string(), what, std::strerror(errno));
}

} // namespace

std::vector<uint8_t> encode_safety_file(std::span<const safety_file_entry> entries) {
   byte_writer w;
   pack_to(w, safety_file_magic);
   pack_to(w, safety_file_version);
   pack_to(w, static_cast<uint64_t>(entries.size()));
   for (const auto& e : entries) {
      pack_to(w, e.key);
      pack_ref(w, e.fsi.last_vote);
      pack_ref(w, e.fsi.lock);
      pack_to(w, e.fsi.other_branch_latest_time);
   }
   auto out = w.take();
   const uint32_t crc = crc_of(out);
   byte_writer tail;
   pack_to(tail, crc);
   const auto t = tail.take();
   out.insert(out.end(), t.begin(), t.end());
   return out;
}

result<std::vector<safety_file_entry>> decode_safety_file(std::span<const uint8_t> bytes) {
   byte_reader r(bytes);
   uint64_t magic = 0, version = 0, count = 0;
   unpack_from(r, magic);
   unpack_from(r, version);
   if (r.ok() && magic != safety_file_magic)
      return unexpected{fmt::format("bad magic number {:#018x}", magic)};
   if (r.ok() && version > safety_file_version)
      return unexpected{fmt::format("version {}, newer than this program reads ({})", version, safety_file_version)};
   unpack_from(r, count);
   // Each entry takes at least 97 + 2 * 68 + 4 bytes: a count beyond the input is damage, not a
   // reason to allocate.
   constexpr std::size_t min_entry = 1 + bls::public_key_bytes + 2 * (32 + 4 + 32) + 1;
   if (r.ok() && count > r.remaining() / min_entry)
      return unexpected{fmt::format("{} finalizers claimed in {} bytes", count, bytes.size())};
   std::vector<safety_file_entry> out;
   for (uint64_t i = 0; r.ok() && i < count; ++i) {
      safety_file_entry e;
      unpack_from(r, e.key);
      unpack_ref(r, e.fsi.last_vote);
      unpack_ref(r, e.fsi.lock);
      if (version == 0) {
         bool forked = false; // Spring's v0 reading of votes_forked_since_latest_strong_vote
         unpack_from(r, forked);
         e.fsi.other_branch_latest_time = forked ? e.fsi.last_vote.timestamp : block_timestamp{};
      } else {
         unpack_from(r, e.fsi.other_branch_latest_time);
      }
      out.push_back(std::move(e));
   }
   if (r.ok() && version >= 1) {
      const uint32_t computed = crc_of(bytes.first(r.offset()));
      uint32_t stored = 0;
      unpack_from(r, stored);
      if (r.ok() && stored != computed)
         return unexpected{fmt::format("bad checksum (stored {:#010x}, computed {:#010x})", stored, computed)};
   }
   if (!r.ok())
      return unexpected{r.error().message()};
   if (r.remaining() != 0)
      return unexpected{fmt::format("{} bytes after the last finalizer", r.remaining())};
   return out;
}

result<std::vector<safety_file_entry>> read_safety_file(const std::filesystem::path& path) {
   const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
   if (fd < 0) {
      if (errno == ENOENT)
         return std::vector<safety_file_entry>{};
      return unexpected{errno_text(path, "open")};
   }
   std::vector<uint8_t> bytes;
   uint8_t buf[4096];
   constexpr std::size_t limit = 64u << 20; // far beyond any real file (a few hundred bytes per finalizer)
   for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0) {
         auto e = errno_text(path, "read");
         ::close(fd);
         return unexpected{e};
      }
      if (n == 0)
         break;
      bytes.insert(bytes.end(), buf, buf + n);
      if (bytes.size() > limit) {
         ::close(fd);
         return unexpected{fmt::format("finalizer safety file {}: larger than {} bytes", path.string(), limit)};
      }
   }
   ::close(fd);
   auto entries = decode_safety_file(bytes);
   if (!entries)
      return unexpected{fmt::format("finalizer safety file {} is damaged: {}", path.string(), entries.error())};
   return entries;
}

result<bool> write_safety_file(const std::filesystem::path& path, std::span<const safety_file_entry> entries) {
   const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
   std::error_code ec;
   std::filesystem::create_directories(dir, ec);
   if (ec)
      return unexpected{fmt::format("finalizer safety file {}: {}", path.string(), ec.message())};
   auto tmp = path;
   tmp += ".tmp";
   const auto bytes = encode_safety_file(entries);
   const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
   if (fd < 0)
      return unexpected{errno_text(tmp, "open")};
   if (!write_all(fd, bytes) || ::fsync(fd) != 0) {
      auto e = errno_text(tmp, "write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return unexpected{e};
   }
   ::close(fd);
   if (::rename(tmp.c_str(), path.c_str()) != 0) {
      auto e = errno_text(path, "rename");
      ::unlink(tmp.c_str());
      return unexpected{e};
   }
   const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
   if (dfd < 0)
      return unexpected{errno_text(dir, "open directory")};
   const bool synced = ::fsync(dfd) == 0;
   auto e = synced ? std::string() : errno_text(dir, "fsync directory");
   ::close(dfd);
   if (!synced)
      return unexpected{e};
   return true;
}

} // namespace core
