#pragma once
/// A TCP forwarder on 127.0.0.1 for the tests: each client connection gets its own connection
/// to the upstream port, bytes go both ways (optionally through a frame rewriter on the way to
/// the client, to build a peer that answers one thing wrongly), and every chunk is recorded
/// with its time and direction (to write packet captures of a real session). One thread;
/// non-blocking sockets with output queues, so neither direction can stall the other.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace it {

class tcp_proxy {
public:
   enum class direction : uint8_t { to_upstream, to_client };
   struct chunk {
      std::chrono::system_clock::time_point at;
      uint32_t connection = 0; ///< from 1, in accept order
      direction dir = direction::to_upstream;
      std::vector<uint8_t> bytes;
   };
   /// Rewrites one frame (length prefix included) on its way to the client.
   using rewriter = std::function<std::vector<uint8_t>(std::vector<uint8_t> frame)>;

   explicit tcp_proxy(uint16_t upstream_port, rewriter rw = {});
   ~tcp_proxy();
   tcp_proxy(const tcp_proxy&) = delete;
   tcp_proxy& operator=(const tcp_proxy&) = delete;

   uint16_t port() const { return port_; }
   /// Everything forwarded so far (a copy).
   std::vector<chunk> chunks() const;
   /// Connections accepted so far.
   uint32_t connections() const { return accepted_; }
   /// Stops forwarding and closes every connection.
   void stop();

private:
   void run();

   uint16_t upstream_port_;
   rewriter rewrite_;
   int listen_fd_ = -1;
   int wake_[2] = {-1, -1};
   uint16_t port_ = 0;
   std::atomic<bool> stop_{false};
   std::atomic<uint32_t> accepted_{0};
   mutable std::mutex mutex_;
   std::vector<chunk> chunks_;
   std::thread thread_;
};

} // namespace it
