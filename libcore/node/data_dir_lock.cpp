#include "node/data_dir_lock.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

namespace core {

namespace {

/// The pid written in the lock file, nullopt when it holds none (its holder is still writing it).
std::optional<long> read_pid(int fd) {
   char buf[32] = {};
   const auto n = ::pread(fd, buf, sizeof buf - 1, 0);
   if (n <= 0)
      return std::nullopt;
   long pid = 0;
   auto [end, ec] = std::from_chars(buf, buf + n, pid);
   if (ec != std::errc{} || pid <= 0)
      return std::nullopt;
   return pid;
}

} // namespace

result<data_dir_lock> data_dir_lock::acquire(const std::filesystem::path& data_dir) {
   const auto path = data_dir / file_name;
   const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
   if (fd < 0)
      return unexpected{fmt::format("data dir {}: open {}: {}", data_dir.string(), path.string(), std::strerror(errno))};
   data_dir_lock lock(fd);
   while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EINTR)
         continue;
      if (errno != EWOULDBLOCK)
         return unexpected{fmt::format("data dir {}: lock {}: {}", data_dir.string(), path.string(), std::strerror(errno))};
      const auto pid = read_pid(fd);
      return unexpected{fmt::format("data dir {} is in use by another p2pnode{}", data_dir.string(),
                                    pid ? fmt::format(" (pid {})", *pid) : std::string())};
   }
   const auto text = fmt::format("{}\n", ::getpid());
   if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
      return unexpected{fmt::format("data dir {}: write {}: {}", data_dir.string(), path.string(), std::strerror(errno))};
   return lock;
}

data_dir_lock& data_dir_lock::operator=(data_dir_lock&& other) noexcept {
   if (this != &other) {
      if (fd_ >= 0)
         ::close(fd_);
      fd_ = other.fd_;
      other.fd_ = -1;
   }
   return *this;
}

data_dir_lock::~data_dir_lock() {
   if (fd_ >= 0)
      ::close(fd_); // releases the flock; the file stays, its pid stale until the next holder
}

} // namespace core
