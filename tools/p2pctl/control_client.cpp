#include "control_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace p2pctl {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// Poll slice while waiting without a deadline, so an interrupt flag is seen promptly.
constexpr milliseconds poll_slice{200};
/// Pause between connect attempts while the node's listen backlog is full.
constexpr milliseconds backlog_retry{10};

client_error err(client_error::kind k, std::string m) { return client_error{k, std::move(m)}; }

std::string errno_text(int e) { return std::strerror(e); }

int remaining_ms(clock::time_point deadline) {
   const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock::now()).count();
   return left < 0 ? 0 : static_cast<int>(left);
}

} // namespace

core::result<control_client, client_error> control_client::connect(const std::string& path, milliseconds timeout) {
   sockaddr_un addr{};
   if (path.empty() || path.size() >= sizeof(addr.sun_path))
      return core::unexpected(err(client_error::kind::unreachable,
                                  path.empty() ? "empty socket path" : "socket path too long for a Unix socket"));
   addr.sun_family = AF_UNIX;
   std::memcpy(addr.sun_path, path.data(), path.size());
   const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
   if (fd < 0)
      return core::unexpected(err(client_error::kind::unreachable, "socket: " + errno_text(errno)));
   control_client c(fd);
   const auto deadline = clock::now() + timeout;
   for (;;) {
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0)
         return c;
      const int e = errno;
      if (e == EINTR)
         continue;
      if (e == EAGAIN) { // listen backlog full: the node is alive but busy
         if (clock::now() >= deadline)
            return core::unexpected(err(client_error::kind::timeout, "timed out connecting"));
         std::this_thread::sleep_for(backlog_retry);
         continue;
      }
      if (e == EINPROGRESS) {
         pollfd p{fd, POLLOUT, 0};
         const int n = ::poll(&p, 1, remaining_ms(deadline));
         if (n == 0)
            return core::unexpected(err(client_error::kind::timeout, "timed out connecting"));
         int so = 0;
         socklen_t len = sizeof(so);
         ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &len);
         if (so == 0)
            return c;
         return core::unexpected(err(client_error::kind::unreachable, errno_text(so)));
      }
      if (e == ENOENT)
         return core::unexpected(err(client_error::kind::unreachable, "no such socket (is p2pnode running?)"));
      if (struct stat st {}; ::stat(path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode))
         return core::unexpected(err(client_error::kind::unreachable,
                                     S_ISDIR(st.st_mode) ? "not a socket but a directory (--data-dir takes the directory)"
                                                         : "not a socket (a regular file or another kind of file)"));
      if (e == ECONNREFUSED)
         return core::unexpected(
            err(client_error::kind::unreachable, "connection refused (p2pnode not running, stale socket file?)"));
      return core::unexpected(err(client_error::kind::unreachable, errno_text(e)));
   }
}

control_client::control_client(control_client&& o) noexcept : fd_(o.fd_), buf_(std::move(o.buf_)) { o.fd_ = -1; }

control_client::~control_client() {
   if (fd_ >= 0)
      ::close(fd_);
}

core::result<bool, client_error> control_client::send_line(std::string_view line, milliseconds timeout) {
   std::string data(line);
   data.push_back('\n');
   std::string_view rest(data);
   const auto deadline = clock::now() + timeout;
   while (!rest.empty()) {
      const auto n = ::send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
      if (n > 0) {
         rest.remove_prefix(static_cast<std::size_t>(n));
         continue;
      }
      const int e = errno;
      if (e == EINTR)
         continue;
      if (e != EAGAIN)
         return core::unexpected(err(e == EPIPE || e == ECONNRESET ? client_error::kind::closed : client_error::kind::io,
                                     "send: " + errno_text(e)));
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, remaining_ms(deadline)) == 0)
         return core::unexpected(err(client_error::kind::timeout, "timed out sending the request"));
   }
   return true;
}

core::result<std::string, client_error> control_client::read_line(std::optional<milliseconds> timeout,
                                                                  const volatile std::sig_atomic_t* interrupted) {
   const auto deadline = timeout ? clock::now() + *timeout : clock::time_point::max();
   std::size_t scanned = 0;
   for (;;) {
      if (const auto nl = buf_.find('\n', scanned); nl != std::string::npos) {
         std::string line = buf_.substr(0, nl);
         buf_.erase(0, nl + 1);
         return line;
      }
      scanned = buf_.size();
      if (buf_.size() > max_line_bytes)
         return core::unexpected(err(client_error::kind::io, "reply line too long"));
      if (interrupted && *interrupted)
         return core::unexpected(err(client_error::kind::interrupted, "interrupted"));
      if (timeout && clock::now() >= deadline)
         return core::unexpected(err(client_error::kind::timeout, "no reply in time"));
      const int wait = timeout ? std::min(remaining_ms(deadline), int(poll_slice.count())) : int(poll_slice.count());
      pollfd p{fd_, POLLIN, 0};
      const int n = ::poll(&p, 1, wait);
      if (n <= 0)
         continue; // timeout slice or EINTR: re-check the flag and deadline
      char chunk[64 * 1024];
      const auto got = ::recv(fd_, chunk, sizeof chunk, 0);
      if (got == 0)
         return core::unexpected(err(client_error::kind::closed, "connection closed by p2pnode"));
      if (got < 0) {
         const int e = errno;
         if (e == EINTR || e == EAGAIN)
            continue;
         return core::unexpected(err(client_error::kind::io, "recv: " + errno_text(e)));
      }
      buf_.append(chunk, static_cast<std::size_t>(got));
   }
}

} // namespace p2pctl
