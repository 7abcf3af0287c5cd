#include "send_fake_node.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace test {

namespace {

using clock_type = std::chrono::steady_clock;

int ms_left(clock_type::time_point deadline) {
   auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
   return left <= 0 ? 0 : static_cast<int>(left);
}

std::size_t complete_frames(const std::vector<uint8_t>& bytes) {
   core::frame_decoder fd;
   fd.feed(bytes);
   std::size_t n = 0;
   for (;;) {
      auto f = fd.next();
      if (!f || !f->has_value())
         return n;
      ++n;
   }
}

int bound_socket(uint16_t& port) {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0)
      throw std::runtime_error("socket failed");
   const int one = 1;
   ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
   sockaddr_in a{};
   a.sin_family = AF_INET;
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   a.sin_port = 0;
   if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::runtime_error("bind failed");
   socklen_t len = sizeof a;
   ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
   port = ntohs(a.sin_port);
   return fd;
}

} // namespace

bool fake_peer_conn::read_once(clock_type::time_point deadline) {
   if (fd_ < 0)
      return false;
   pollfd p{fd_, POLLIN, 0};
   int rc;
   do {
      rc = ::poll(&p, 1, ms_left(deadline));
   } while (rc < 0 && errno == EINTR);
   if (rc <= 0)
      return false;
   uint8_t buf[65536];
   const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
   if (n <= 0)
      return false;
   in_.insert(in_.end(), buf, buf + n);
   return true;
}

bool fake_peer_conn::wait_bytes(std::size_t n, std::chrono::milliseconds within) {
   const auto deadline = clock_type::now() + within;
   while (in_.size() < n)
      if (!read_once(deadline))
         return false;
   return true;
}

bool fake_peer_conn::wait_frames(std::size_t n, std::chrono::milliseconds within) {
   const auto deadline = clock_type::now() + within;
   while (complete_frames(in_) < n)
      if (!read_once(deadline))
         return false;
   return true;
}

bool fake_peer_conn::drain(std::chrono::milliseconds within) {
   const auto deadline = clock_type::now() + within;
   while (fd_ >= 0) {
      pollfd p{fd_, POLLIN, 0};
      int rc = ::poll(&p, 1, ms_left(deadline));
      if (rc == 0)
         return false;
      if (rc < 0)
         continue;
      uint8_t buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0)
         return true;
      in_.insert(in_.end(), buf, buf + n);
   }
   return true;
}

void fake_peer_conn::send(std::span<const uint8_t> bytes) {
   std::size_t done = 0;
   while (fd_ >= 0 && done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0)
         return;
      done += static_cast<std::size_t>(n);
   }
}

void fake_peer_conn::close() {
   if (fd_ >= 0)
      ::shutdown(fd_, SHUT_WR);
}

fake_peer_conn::~fake_peer_conn() {
   if (fd_ >= 0)
      ::close(fd_);
}

fake_node::fake_node() {
   listen_fd_ = bound_socket(port_);
   if (::listen(listen_fd_, 4) != 0)
      throw std::runtime_error("listen failed");
}

fake_node::~fake_node() {
   if (thread_.joinable())
      thread_.join();
   if (listen_fd_ >= 0)
      ::close(listen_fd_);
}

void fake_node::start(script s) {
   thread_ = std::thread([this, s = std::move(s)] {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 5000) != 1)
         return;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0)
         return;
      accepted_ = true;
      fake_peer_conn c(fd);
      s(c);
      c.drain(std::chrono::seconds(10));
      received_ = c.in();
   });
}

std::vector<uint8_t> fake_node::join() {
   if (thread_.joinable())
      thread_.join();
   return received_;
}

std::vector<core::net_message> decode_frames(std::span<const uint8_t> bytes) {
   std::vector<core::net_message> out;
   core::frame_decoder fd;
   fd.feed(bytes);
   for (;;) {
      auto f = fd.next();
      if (!f || !f->has_value())
         return out;
      auto m = core::decode_payload((*f)->payload);
      if (!m)
         return out;
      out.push_back(std::move(*m));
   }
}

uint16_t unused_port() {
   uint16_t port = 0;
   const int fd = bound_socket(port);
   ::close(fd);
   return port;
}

} // namespace test
