#include "store/committed_lib.hpp"

#include "store/rocksdb_chain_store.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace core {

namespace {

constexpr std::size_t slot_bytes = 64;
constexpr std::array<char, 8> magic = {'P', '2', 'P', 'L', 'I', 'B', '0', '1'};
/// magic(8) ‖ LE u64 sequence ‖ LE u32 block_num ‖ id(32) ‖ LE u32 crc32 of the preceding bytes.
constexpr std::size_t crc_at = 8 + 8 + 4 + 32;

template <class T>
void put_le(uint8_t* p, T v) {
   for (std::size_t i = 0; i < sizeof(T); ++i)
      p[i] = static_cast<uint8_t>(v >> (8 * i));
}
template <class T>
T get_le(const uint8_t* p) {
   T v = 0;
   for (std::size_t i = 0; i < sizeof(T); ++i)
      v |= static_cast<T>(p[i]) << (8 * i);
   return v;
}

uint32_t crc_of(const uint8_t* p) { return static_cast<uint32_t>(::crc32(0, p, static_cast<uInt>(crc_at))); }

std::optional<committed_lib> parse_slot(const uint8_t* p) {
   if (std::memcmp(p, magic.data(), magic.size()) != 0 || get_le<uint32_t>(p + crc_at) != crc_of(p))
      return std::nullopt;
   committed_lib c;
   c.sequence = get_le<uint64_t>(p + 8);
   c.block_num = get_le<uint32_t>(p + 16);
   std::memcpy(c.id.data.data(), p + 20, 32);
   return c;
}

} // namespace

std::filesystem::path committed_lib_path(const std::filesystem::path& store_dir) { return store_dir / "committed-lib"; }

result<std::optional<committed_lib>> read_committed_lib(const std::filesystem::path& store_dir) {
   const auto path = committed_lib_path(store_dir);
   const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
   if (fd < 0) {
      if (errno == ENOENT)
         return std::optional<committed_lib>{};
      return unexpected{fmt::format("{}: {}", path.string(), std::strerror(errno))};
   }
   struct stat st {};
   std::array<uint8_t, 2 * slot_bytes> buf{};
   ssize_t n = -1;
   if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
      n = ::pread(fd, buf.data(), buf.size(), 0);
   const int e = errno;
   ::close(fd);
   if (!S_ISREG(st.st_mode))
      return unexpected{fmt::format("{}: not a regular file", path.string())};
   if (n < 0)
      return unexpected{fmt::format("{}: {}", path.string(), std::strerror(e))};
   std::optional<committed_lib> best;
   for (std::size_t at = 0; at + slot_bytes <= static_cast<std::size_t>(n); at += slot_bytes)
      if (auto c = parse_slot(buf.data() + at); c && (!best || c->sequence > best->sequence))
         best = c;
   return best;
}

result<bool> write_committed_lib(const std::filesystem::path& store_dir, const committed_lib& c, bool sync) {
   const auto path = committed_lib_path(store_dir);
   std::array<uint8_t, slot_bytes> slot{};
   std::memcpy(slot.data(), magic.data(), magic.size());
   put_le(slot.data() + 8, c.sequence);
   put_le(slot.data() + 16, c.block_num);
   std::memcpy(slot.data() + 20, c.id.data.data(), 32);
   put_le(slot.data() + crc_at, crc_of(slot.data()));
   std::error_code ec;
   const bool created = !std::filesystem::exists(path, ec);
   const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
   if (fd < 0)
      return unexpected{fmt::format("{}: {}", path.string(), std::strerror(errno))};
   const auto at = static_cast<off_t>((c.sequence % 2) * slot_bytes);
   bool ok = ::pwrite(fd, slot.data(), slot.size(), at) == static_cast<ssize_t>(slot.size());
   if (ok && sync)
      ok = ::fsync(fd) == 0;
   const int e = errno;
   ::close(fd);
   if (!ok)
      return unexpected{fmt::format("{}: write: {}", path.string(), std::strerror(e))};
   if (sync && created)
      return sync_directory(store_dir);
   return true;
}

} // namespace core
