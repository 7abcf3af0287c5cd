#pragma once
/// A client of p2pnode's control socket for the integration harness and the network benchmarks
/// (p2pctl is the product's client): one JSON request line, one reply line.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

namespace test {

/// One request line on a Unix control socket, one reply line back (nullopt on any failure).
inline std::optional<std::string> control_request(const std::filesystem::path& sock, const std::string& request,
                                                  std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) {
   const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0)
      return std::nullopt;
   sockaddr_un a{};
   a.sun_family = AF_UNIX;
   const std::string path = sock.string();
   if (path.size() >= sizeof a.sun_path) {
      ::close(fd);
      return std::nullopt;
   }
   std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
   if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return std::nullopt;
   }
   const std::string line = request + "\n";
   if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != ssize_t(line.size())) {
      ::close(fd);
      return std::nullopt;
   }
   std::string reply;
   const auto deadline = std::chrono::steady_clock::now() + timeout;
   char buf[4096];
   while (reply.find('\n') == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      pollfd p{fd, POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, int(left)) <= 0)
         break;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0)
         break;
      reply.append(buf, std::size_t(n));
   }
   ::close(fd);
   const auto nl = reply.find('\n');
   if (nl == std::string::npos)
      return std::nullopt;
   reply.resize(nl);
   return reply;
}

} // namespace test
