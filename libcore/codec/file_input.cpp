#include "codec/file_input.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace core {

namespace {
const char* kind_of(mode_t m) {
   if (S_ISDIR(m))
      return "a directory";
   if (S_ISFIFO(m))
      return "a FIFO";
   if (S_ISSOCK(m))
      return "a socket";
   if (S_ISCHR(m))
      return "a character device";
   if (S_ISBLK(m))
      return "a block device";
   return "not a regular file";
}
} // namespace

std::string size_text(std::size_t bytes) {
   if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
      return fmt::format("{} MiB", bytes >> 20);
   if (bytes >= (1u << 10) && bytes % (1u << 10) == 0)
      return fmt::format("{} KiB", bytes >> 10);
   return fmt::format("{} bytes", bytes);
}

result<int> open_regular_file(const std::filesystem::path& path) {
   // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
   const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
   if (fd < 0)
      return unexpected{fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno))};
   struct stat st {};
   if (::fstat(fd, &st) != 0) {
      const int e = errno;
      ::close(fd);
      return unexpected{fmt::format("{}: {}", path.string(), std::strerror(e))};
   }
   if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      const char* kind = kind_of(st.st_mode);
      return unexpected{fmt::format("{}: {}{}", path.string(), kind,
                                    std::strcmp(kind, "not a regular file") == 0 ? "" : ", not a regular file")};
   }
   // Regular files never block; reads go on as usual.
   ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
   return fd;
}

result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes) {
   auto fd = open_regular_file(path);
   if (!fd)
      return unexpected{fd.error()};
   std::string out;
   struct stat st {};
   if (::fstat(*fd, &st) == 0 && static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
      ::close(*fd);
      return unexpected{fmt::format("{}: larger than the {} limit", path.string(), size_text(max_bytes))};
   }
   out.resize(static_cast<std::size_t>(st.st_size));
   std::size_t got = 0;
   for (;;) {
      if (got == out.size()) {
         // The file may have grown since fstat: read on, within the limit.
         if (out.size() > max_bytes)
            break;
         out.resize(std::min<std::size_t>(max_bytes + 1, std::max<std::size_t>(out.size() * 2, 4096)));
      }
      const ssize_t n = ::read(*fd, out.data() + got, out.size() - got);
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0) {
         const int e = errno;
         ::close(*fd);
         return unexpected{fmt::format("{}: {}", path.string(), std::strerror(e))};
      }
      if (n == 0)
         break;
      got += static_cast<std::size_t>(n);
   }
   ::close(*fd);
   out.resize(got);
   if (got > max_bytes)
      return unexpected{fmt::format("{}: larger than the {} limit", path.string(), size_text(max_bytes))};
   return out;
}

} // namespace core
