#include "tcp_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <list>
#include <stdexcept>

namespace it {

namespace {

/// Largest frame length the rewriter parses; anything else passes through as bytes.
constexpr uint32_t max_frame_bytes = 8 * 1024 * 1024;

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

int loopback_listener(uint16_t& port) {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   const int one = 1;
   ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
   sockaddr_in a{};
   a.sin_family = AF_INET;
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0)
      throw std::runtime_error("tcp_proxy: cannot listen");
   socklen_t len = sizeof a;
   ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
   port = ntohs(a.sin_port);
   set_nonblocking(fd);
   return fd;
}

int connect_upstream(uint16_t port) {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   sockaddr_in a{};
   a.sin_family = AF_INET;
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   a.sin_port = htons(port);
   if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return -1;
   }
   const int one = 1;
   ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
   set_nonblocking(fd);
   return fd;
}

/// One side of a forwarded connection: its socket, what waits to be written to it, and
/// whether its peer has finished sending (then it is shut down for writing once flushed).
struct side {
   int fd = -1;
   std::vector<uint8_t> out;
   bool eof_read = false;  ///< this socket returned EOF
   bool shut = false;      ///< shut down for writing
   bool pending_shut = false;
};

struct pair_state {
   uint32_t id = 0;
   side client, upstream;
   std::vector<uint8_t> frames; ///< bytes to the client not yet rewritten (with a rewriter)
   bool broken = false;
};

} // namespace

tcp_proxy::tcp_proxy(uint16_t upstream_port, rewriter rw) : upstream_port_(upstream_port), rewrite_(std::move(rw)) {
   listen_fd_ = loopback_listener(port_);
   if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
      throw std::runtime_error("tcp_proxy: pipe");
   thread_ = std::thread([this] { run(); });
}

tcp_proxy::~tcp_proxy() {
   stop();
   ::close(listen_fd_);
   ::close(wake_[0]);
   ::close(wake_[1]);
}

void tcp_proxy::stop() {
   if (stop_.exchange(true))
      return;
   const char b = 1;
   (void)!::write(wake_[1], &b, 1);
   if (thread_.joinable())
      thread_.join();
}

std::vector<tcp_proxy::chunk> tcp_proxy::chunks() const {
   std::lock_guard<std::mutex> g(mutex_);
   return chunks_;
}

void tcp_proxy::run() {
   std::list<pair_state> pairs;
   uint32_t next_id = 1;
   const auto record = [&](const pair_state& p, direction d, const uint8_t* data, std::size_t n) {
      std::lock_guard<std::mutex> g(mutex_);
      chunks_.push_back({std::chrono::system_clock::now(), p.id, d, std::vector<uint8_t>(data, data + n)});
   };
   const auto to_client = [&](pair_state& p, const uint8_t* data, std::size_t n) {
      if (!rewrite_) {
         record(p, direction::to_client, data, n);
         p.client.out.insert(p.client.out.end(), data, data + n);
         return;
      }
      p.frames.insert(p.frames.end(), data, data + n);
      std::size_t at = 0;
      while (p.frames.size() - at >= 4) {
         uint32_t len = 0;
         std::memcpy(&len, p.frames.data() + at, 4);
         if (len == 0 || len > max_frame_bytes) { // not a frame stream: pass the rest through
            record(p, direction::to_client, p.frames.data() + at, p.frames.size() - at);
            p.client.out.insert(p.client.out.end(), p.frames.begin() + static_cast<std::ptrdiff_t>(at), p.frames.end());
            at = p.frames.size();
            break;
         }
         if (p.frames.size() - at < 4 + std::size_t(len))
            break;
         auto frame = rewrite_(std::vector<uint8_t>(p.frames.begin() + static_cast<std::ptrdiff_t>(at),
                                                    p.frames.begin() + static_cast<std::ptrdiff_t>(at + 4 + len)));
         record(p, direction::to_client, frame.data(), frame.size());
         p.client.out.insert(p.client.out.end(), frame.begin(), frame.end());
         at += 4 + len;
      }
      p.frames.erase(p.frames.begin(), p.frames.begin() + static_cast<std::ptrdiff_t>(at));
   };
   const auto flush = [](side& s) {
      while (!s.out.empty()) {
         const ssize_t n = ::send(s.fd, s.out.data(), s.out.size(), MSG_NOSIGNAL);
         if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
               return true;
            if (errno == EINTR)
               continue;
            return false;
         }
         s.out.erase(s.out.begin(), s.out.begin() + n);
      }
      if (s.pending_shut && !s.shut) {
         ::shutdown(s.fd, SHUT_WR);
         s.shut = true;
      }
      return true;
   };

   while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      std::vector<std::pair<pair_state*, side*>> owners{{nullptr, nullptr}, {nullptr, nullptr}};
      for (auto& p : pairs)
         for (side* s : {&p.client, &p.upstream}) {
            short ev = s->eof_read ? 0 : POLLIN;
            if (!s->out.empty())
               ev |= POLLOUT;
            fds.push_back({s->fd, ev, 0});
            owners.push_back({&p, s});
         }
      if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR)
         break;
      if (fds[0].revents & POLLIN) {
         const int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
         if (c >= 0) {
            const int u = connect_upstream(upstream_port_);
            if (u < 0) {
               ::close(c);
            } else {
               const int one = 1;
               ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
               set_nonblocking(c);
               pair_state p;
               p.id = next_id++;
               p.client.fd = c;
               p.upstream.fd = u;
               pairs.push_back(std::move(p));
               ++accepted_;
            }
         }
      }
      for (std::size_t i = 2; i < fds.size(); ++i) {
         auto& [p, s] = owners[i];
         if (p->broken)
            continue;
         side& other = s == &p->client ? p->upstream : p->client;
         if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
            uint8_t buf[65536];
            const ssize_t n = ::recv(s->fd, buf, sizeof buf, 0);
            if (n > 0) {
               if (s == &p->client) {
                  record(*p, direction::to_upstream, buf, static_cast<std::size_t>(n));
                  other.out.insert(other.out.end(), buf, buf + n);
               } else {
                  to_client(*p, buf, static_cast<std::size_t>(n));
               }
            } else if (n == 0) {
               s->eof_read = true;
               other.pending_shut = true;
            } else if (errno != EAGAIN && errno != EINTR) {
               p->broken = true;
            }
         }
         if (!p->broken && !flush(other))
            p->broken = true;
         if (!p->broken && !flush(*s))
            p->broken = true;
      }
      for (auto it = pairs.begin(); it != pairs.end();) {
         const bool done = it->broken || (it->client.eof_read && it->upstream.eof_read && it->client.out.empty() &&
                                          it->upstream.out.empty());
         if (done) {
            ::close(it->client.fd);
            ::close(it->upstream.fd);
            it = pairs.erase(it);
         } else {
            ++it;
         }
      }
   }
   for (auto& p : pairs) {
      ::close(p.client.fd);
      ::close(p.upstream.fd);
   }
}

} // namespace it
