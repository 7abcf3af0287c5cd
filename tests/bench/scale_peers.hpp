#pragma once
// The receiving side of bench_net_scale: hundreds of fake peers in one process, on one thread
// (epoll), each a non-blocking loopback socket handshaken as a current peer. They share one
// receive buffer: a peer keeps only the first bytes of the frame it is reading (enough for the
// message index and a block's number), so a peer costs a few dozen bytes besides its socket,
// and a fast peer drops the rest of a frame in the kernel without copying it.
// Fast peers read everything as it arrives; slow peers read `slow_bytes_per_second` (10 KB/s)
// through a small receive buffer, every tick. Every peer sends a time_message
// every few seconds, as a live peer does, so the node's heartbeat keeps it.
#include "codec/limits.hpp"
#include "net/frame.hpp"
#include "net/messages.hpp"
#include "peer_session.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

struct fleet_peer {
   int fd = -1;
   bool slow = false;
   uint16_t local_port = 0;
   bool handshaken = false;
   bool closed = false;
   std::string close_reason;       ///< "EOF", "go_away <reason>", an errno text
   std::chrono::steady_clock::time_point connected_at{}, closed_at{};
   uint64_t bytes_read = 0;
   uint64_t blocks = 0;
   double allowance = 0; ///< a slow peer's bytes it may read now
   // The frame being read: its first bytes (length, index, a block header's first fields).
   static constexpr std::size_t head_bytes = 4 + 1 + 4 + 8 + 2 + 32; ///< up to signed_block.previous
   uint8_t head[head_bytes]{};
   std::size_t consumed = 0; ///< bytes of the current frame read so far
   std::size_t total = 0;    ///< the current frame's size with its length prefix (0: not known yet)
};

/// Called when a fast or slow peer has read a whole signed_block frame.
using block_received_fn = std::function<void(std::size_t peer, uint32_t block_num, std::chrono::steady_clock::time_point)>;

class peer_fleet {
public:
   static constexpr std::size_t slow_rcvbuf = 4096;

   explicit peer_fleet(block_received_fn on_block) : on_block_(std::move(on_block)), buf_(1 << 20) {
      ep_ = ::epoll_create1(EPOLL_CLOEXEC);
      if (ep_ < 0)
         throw std::runtime_error("epoll_create1 failed");
   }
   ~peer_fleet() {
      for (auto& p : peers_)
         if (p.fd >= 0)
            ::close(p.fd);
      ::close(ep_);
   }
   peer_fleet(const peer_fleet&) = delete;
   peer_fleet& operator=(const peer_fleet&) = delete;

   /// Connects one peer to 127.0.0.1:`port` and sends its handshake; the node's answer is read by
   /// poll(). Returns its index. Throws when the connection fails.
   std::size_t add(uint16_t port, const msgcraft::handshake_options& hs, bool slow) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0)
         throw std::runtime_error(fmt::format("socket: {}", std::strerror(errno)));
      if (slow) { // before connect, so the advertised window stays small
         int v = int(slow_rcvbuf);
         ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
      }
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(port);
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
         const std::string e = std::strerror(errno);
         ::close(fd);
         throw std::runtime_error("connect: " + e);
      }
      const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
      const auto frame = core::encode_frame(core::net_message{msgcraft::build_handshake(hs, now_ns)});
      if (::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) != ssize_t(frame.size())) {
         ::close(fd);
         throw std::runtime_error("handshake send failed");
      }
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
      fleet_peer p;
      p.fd = fd;
      p.slow = slow;
      p.connected_at = std::chrono::steady_clock::now();
      sockaddr_in local{};
      socklen_t len = sizeof local;
      if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0)
         p.local_port = ntohs(local.sin_port);
      peers_.push_back(p);
      const std::size_t i = peers_.size() - 1;
      if (!slow) {
         epoll_event ev{};
         ev.events = EPOLLIN;
         ev.data.u64 = i;
         ::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
      }
      return i;
   }

   /// Reads what arrived within `wait`: every fast peer with data, and each slow peer's allowance
   /// when a tick is due; sends the keepalives when due.
   void poll(std::chrono::milliseconds wait) {
      epoll_event evs[256];
      const int n = ::epoll_wait(ep_, evs, 256, int(wait.count()));
      for (int k = 0; k < n; ++k) {
         auto& p = peers_[evs[k].data.u64];
         if (!p.closed)
            read_from(evs[k].data.u64, buf_.size());
      }
      const auto now = std::chrono::steady_clock::now();
      if (now >= next_tick_) {
         // Each slow peer may read what 10 KB/s allows since its last read (a token bucket, so
         // a late tick does not lower the rate).
         const double elapsed = last_tick_ == std::chrono::steady_clock::time_point{}
                                   ? 0.0 : std::chrono::duration<double>(now - last_tick_).count();
         last_tick_ = now;
         next_tick_ = now + tick;
         for (std::size_t i = 0; i < peers_.size(); ++i) {
            auto& p = peers_[i];
            if (!p.slow || p.closed)
               continue;
            p.allowance = std::min(p.allowance + elapsed * double(slow_bytes_per_second), double(slow_bytes_per_second));
            if (p.allowance >= 1.0) {
               const uint64_t before = p.bytes_read;
               read_from(i, std::size_t(p.allowance));
               p.allowance -= double(p.bytes_read - before);
            }
         }
      }
      if (now >= next_keepalive_) {
         next_keepalive_ = now + keepalive;
         const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
         const auto ping = core::encode_frame(core::net_message{core::time_message{0, 0, now_ns, 0}});
         for (auto& p : peers_)
            if (!p.closed && p.handshaken)
               (void)::send(p.fd, ping.data(), ping.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      }
   }

   const std::vector<fleet_peer>& peers() const { return peers_; }
   std::size_t handshaken(bool slow) const {
      std::size_t n = 0;
      for (const auto& p : peers_)
         n += p.slow == slow && p.handshaken;
      return n;
   }
   std::size_t open(bool slow) const {
      std::size_t n = 0;
      for (const auto& p : peers_)
         n += p.slow == slow && !p.closed;
      return n;
   }

   std::chrono::milliseconds tick{100};
   std::size_t slow_bytes_per_second = 10'000;
   std::chrono::milliseconds keepalive{3000};

private:
   void close_peer(std::size_t i, std::string why) {
      auto& p = peers_[i];
      if (p.closed)
         return;
      p.closed = true;
      p.close_reason = std::move(why);
      p.closed_at = std::chrono::steady_clock::now();
      if (!p.slow)
         ::epoll_ctl(ep_, EPOLL_CTL_DEL, p.fd, nullptr);
      ::close(p.fd);
      p.fd = -1;
   }

   void read_from(std::size_t i, std::size_t most) {
      auto& p = peers_[i];
      // Past the first bytes of a frame, a fast peer discards the rest in the kernel (TCP's
      // MSG_TRUNC: no copy), so this process costs the machine little beside the node.
      const std::size_t body_left = p.total != 0 && p.consumed >= std::min(p.total, fleet_peer::head_bytes)
                                       ? p.total - p.consumed : 0;
      const bool discard = !p.slow && body_left > 0;
      const ssize_t n = discard ? ::recv(p.fd, nullptr, body_left, MSG_TRUNC)
                                : ::recv(p.fd, buf_.data(), std::min(most, buf_.size()), 0);
      if (n == 0)
         return close_peer(i, "EOF");
      if (n < 0) {
         if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            close_peer(i, std::strerror(errno));
         return;
      }
      p.bytes_read += uint64_t(n);
      if (discard) {
         p.consumed += std::size_t(n);
         if (p.consumed == p.total)
            on_frame_end(i, std::chrono::steady_clock::now());
         return;
      }
      consume(i, buf_.data(), std::size_t(n), std::chrono::steady_clock::now());
   }

   void consume(std::size_t i, const uint8_t* d, std::size_t n, std::chrono::steady_clock::time_point at) {
      auto& p = peers_[i];
      while (n > 0 && !p.closed) {
         const std::size_t want = p.consumed < 4 ? 4 : std::min(p.total, fleet_peer::head_bytes);
         std::size_t k;
         if (p.consumed < want) {
            k = std::min(n, want - p.consumed);
            std::memcpy(p.head + p.consumed, d, k);
         } else
            k = std::min(n, p.total - p.consumed);
         p.consumed += k;
         d += k;
         n -= k;
         if (p.consumed == 4 && p.total == 0) {
            uint32_t len = 0;
            std::memcpy(&len, p.head, 4); // little-endian on the wire, as on this machine
            if (len == 0 || len > core::limits::max_message_bytes)
               return close_peer(i, fmt::format("bad frame length {}", len));
            p.total = 4 + std::size_t(len);
         }
         if (p.total != 0 && p.consumed == p.total)
            on_frame_end(i, at);
      }
   }

   void on_frame_end(std::size_t i, std::chrono::steady_clock::time_point at) {
      on_frame(i, at);
      peers_[i].consumed = 0;
      peers_[i].total = 0;
   }

   void on_frame(std::size_t i, std::chrono::steady_clock::time_point at) {
      auto& p = peers_[i];
      const uint8_t which = p.head[4];
      if (which == 0)
         p.handshaken = true;
      else if (which == 2)
         p.close_reason = fmt::format("go_away {}", p.total > 5 ? int(p.head[5]) : -1);
      else if (which == 7 && p.total >= fleet_peer::head_bytes) {
         // signed_block: timestamp(4) producer(8) confirmed(2) previous(32); num = previous's + 1.
         const uint8_t* prev = p.head + 4 + 1 + 4 + 8 + 2;
         const uint32_t prev_num = uint32_t(prev[0]) << 24 | uint32_t(prev[1]) << 16 | uint32_t(prev[2]) << 8 | prev[3];
         ++p.blocks;
         on_block_(i, prev_num + 1, at);
      }
   }

   block_received_fn on_block_;
   std::vector<uint8_t> buf_; ///< shared by every peer
   std::vector<fleet_peer> peers_;
   int ep_ = -1;
   std::chrono::steady_clock::time_point next_tick_{}, last_tick_{}, next_keepalive_{};
};

} // namespace bench
