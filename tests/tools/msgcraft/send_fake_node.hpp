#pragma once
/// A one-connection TCP server on 127.0.0.1 (ephemeral port) standing in for a node in the
/// `msgcraft send` tests: a thread accepts one client, runs a script (send frames, wait for
/// bytes), then reads until the client closes, recording every byte. All waits are bounded.
/// Scripts only record; the test thread asserts after join().
#include "net/frame.hpp"
#include "net/messages.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <thread>
#include <vector>

namespace test {

/// The accepted connection, used from the server thread only.
class fake_peer_conn {
public:
   explicit fake_peer_conn(int fd) : fd_(fd) {}
   ~fake_peer_conn();
   fake_peer_conn(const fake_peer_conn&) = delete;
   fake_peer_conn& operator=(const fake_peer_conn&) = delete;
   /// Reads until `in()` holds at least n bytes; false on timeout or close.
   bool wait_bytes(std::size_t n, std::chrono::milliseconds within);
   /// Reads until `in()` holds at least n complete frames; false on timeout or close.
   bool wait_frames(std::size_t n, std::chrono::milliseconds within);
   /// Reads until the client closes; false on timeout.
   bool drain(std::chrono::milliseconds within);
   void send(std::span<const uint8_t> bytes);
   template <class T>
   void send_message(const T& msg) { send(core::encode_frame(msg)); }
   /// Sends FIN (the client sees the close); reading goes on until the client closes too.
   void close();
   const std::vector<uint8_t>& in() const { return in_; }

private:
   /// One read of at most the time left; false on timeout or close.
   bool read_once(std::chrono::steady_clock::time_point deadline);
   int fd_;
   std::vector<uint8_t> in_;
};

class fake_node {
public:
   using script = std::function<void(fake_peer_conn&)>;
   fake_node();
   ~fake_node();
   fake_node(const fake_node&) = delete;
   fake_node& operator=(const fake_node&) = delete;

   uint16_t port() const { return port_; }
   std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
   /// Starts the server thread: accept (within 5 s), run `s`, drain (within 10 s) unless `s` closed.
   void start(script s);
   /// Waits for the thread and returns every byte the client sent.
   std::vector<uint8_t> join();
   bool accepted() const { return accepted_; }

private:
   int listen_fd_ = -1;
   uint16_t port_ = 0;
   std::thread thread_;
   std::vector<uint8_t> received_;
   std::atomic<bool> accepted_{false};
};

/// Complete frames in `bytes`, decoded (stops at the first incomplete or bad one).
std::vector<core::net_message> decode_frames(std::span<const uint8_t> bytes);

/// A port on 127.0.0.1 with nothing listening (bound, then released).
uint16_t unused_port();

} // namespace test
