// The control socket of a real producing p2pnode under abuse (its limits: p2pnode(1) FILES):
// a watch subscriber that never reads, 1,000 connections at once and a 100 MB request line. All
// the while the node keeps producing and answers status promptly; afterwards its open file
// descriptors are back where they started.
#include "support/devnet.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// A raw client of the control socket: connected (or not), nothing read unless asked.
class raw_client {
public:
   explicit raw_client(const std::filesystem::path& sock) {
      fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd_ < 0)
         return;
      sockaddr_un a{};
      a.sun_family = AF_UNIX;
      const std::string p = sock.string();
      std::memcpy(a.sun_path, p.c_str(), std::min(p.size() + 1, sizeof a.sun_path - 1));
      if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
         ::close(fd_);
         fd_ = -1;
      }
   }
   ~raw_client() {
      if (fd_ >= 0)
         ::close(fd_);
   }
   raw_client(const raw_client&) = delete;
   raw_client& operator=(const raw_client&) = delete;

   bool connected() const { return fd_ >= 0; }
   /// Sends everything; false once the node has closed the connection.
   bool send_all(const std::string& s) {
      for (std::size_t off = 0; off < s.size();) {
         const ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
         if (n <= 0)
            return false;
         off += std::size_t(n);
      }
      return true;
   }
   /// Reads until EOF or `timeout`; what was read (true = EOF seen).
   std::pair<bool, std::string> read_to_eof(std::chrono::milliseconds timeout) {
      std::string got;
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      char buf[4096];
      while (std::chrono::steady_clock::now() < deadline) {
         timeval tv{0, 100'000};
         ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
         const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
         if (n == 0)
            return {true, got};
         if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return {true, got}; // reset by the node: closed as well
         if (n > 0)
            got.append(buf, std::size_t(n));
      }
      return {false, got};
   }

private:
   int fd_ = -1;
};

std::size_t open_fds(int pid) {
   std::size_t n = 0;
   std::error_code ec;
   for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
        !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      ++n;
   return n;
}

/// The slowest of `n` status requests, each of which must be answered.
std::chrono::milliseconds slowest_status(it::node_process& node, int n) {
   std::chrono::milliseconds worst{0};
   for (int i = 0; i < n; ++i) {
      const auto t = std::chrono::steady_clock::now();
      REQUIRE(node.status());
      worst = std::max(worst, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t));
   }
   return worst;
}

} // namespace

TEST_CASE("control socket: a stuck watcher, 1000 connections and a 100 MB line leave the node responsive",
          "[integration][control]") {
   // 1,000 client sockets here plus the node's: make sure this process may hold them.
   rlimit rl{};
   REQUIRE(::getrlimit(RLIMIT_NOFILE, &rl) == 0);
   if (rl.rlim_cur < 1200) {
      rl.rlim_cur = std::min<rlim_t>(rl.rlim_max, 4096);
      ::setrlimit(RLIMIT_NOFILE, &rl);
   }
   REQUIRE(rl.rlim_cur >= 1200);

   it::cluster c("control_limits");
   auto& node = c.add("node");
   it::make_producer(node, {"eosio"});
   node.start();
   const auto sock = node.data_dir() / "p2pnode.sock";
   const int pid = node.process().pid();
   IT_WAIT_REQUIRE(c.logs(), 10s, node.require_status().head_num >= 3);
   const std::size_t fds_before = open_fds(pid);
   REQUIRE(fds_before > 0);

   // A watch subscriber that never reads a byte of its events.
   raw_client stuck(sock);
   REQUIRE(stuck.connected());
   REQUIRE(stuck.send_all("{\"cmd\":\"watch\"}\n"));

   // 1,000 connections at once: the first ones are served, the rest told "too many clients".
   std::vector<std::unique_ptr<raw_client>> crowd;
   for (int i = 0; i < 1000; ++i) {
      crowd.push_back(std::make_unique<raw_client>(sock));
      REQUIRE(crowd.back()->connected());
   }
   // The node still answers (its own status requests compete with the crowd for slots, so wait
   // for the refused ones to be closed first).
   std::size_t refused = 0;
   for (auto& cl : crowd) {
      auto [eof, text] = cl->read_to_eof(20ms);
      if (eof && text.find("too many clients") != std::string::npos)
         ++refused;
   }
   CHECK(refused >= 1000 - 64);
   crowd.resize(40); // keep 40 idle clients connected; close the rest
   INFO(c.logs());
   CHECK(slowest_status(node, 10) < 1000ms);

   // A 100 MB request line: answered "request line too long" and closed, with the node
   // responsive meanwhile.
   raw_client big(sock);
   REQUIRE(big.connected());
   std::atomic<bool> writer_done{false};
   std::atomic<std::size_t> sent{0};
   std::thread writer([&] {
      const std::string chunk(1024 * 1024, 'a');
      for (int i = 0; i < 100; ++i) {
         if (!big.send_all(chunk))
            break; // closed by the node: expected past its limit
         sent += chunk.size();
      }
      writer_done = true;
   });
   const auto worst_during = slowest_status(node, 20);
   auto [big_eof, big_reply] = big.read_to_eof(30s);
   writer.join();
   CHECK(big_eof);
   CHECK(big_reply.find("request line too long") != std::string::npos);
   CHECK(sent.load() < 100u * 1024 * 1024); // the node stopped reading before the whole line
   CHECK(worst_during < 1000ms);

   // Still producing, still answering; the never-reading watcher did not stall the node.
   const auto head = node.require_status().head_num;
   IT_WAIT_CHECK(c.logs(), 10s, node.require_status().head_num >= head + 4);

   // Everything closed: the node's descriptors return to where they were.
   crowd.clear();
   IT_WAIT_CHECK(c.logs(), 10s, open_fds(pid) <= fds_before + 1); // +1: the stuck watcher, still open
   CHECK(node.process().running());
}
