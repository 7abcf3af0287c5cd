#include "node/control_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

using namespace core;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

/// A fresh directory under the temp dir, removed at the end of the test.
struct temp_dir {
   fs::path path;
   temp_dir() {
      static std::atomic<int> n{0};
      path = fs::temp_directory_path() / ("ctl-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
      fs::remove_all(path);
      fs::create_directories(path);
   }
   ~temp_dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
   }
};

/// An io_context run by a background thread (the "network thread"), joined on destruction.
struct io_thread {
   boost::asio::io_context io;
   boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
   std::thread thread;
   void run() { thread = std::thread([this] { io.run(); }); }
   /// Runs `f` on the network thread and returns its result.
   template <class F>
   auto on_io(F f) -> decltype(f()) {
      std::packaged_task<decltype(f())()> task(std::move(f));
      auto fut = task.get_future();
      boost::asio::post(io, [&task] { task(); });
      return fut.get();
   }
   ~io_thread() {
      work.reset();
      io.stop();
      if (thread.joinable())
         thread.join();
   }
};

/// A blocking test client with bounded reads.
struct client {
   int fd = -1;
   std::string buf;
   explicit client(const fs::path& p) {
      fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      const auto s = p.string();
      std::memcpy(addr.sun_path, s.data(), s.size());
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
         ::close(fd);
         fd = -1;
      }
   }
   client(const client&) = delete;
   ~client() {
      if (fd >= 0)
         ::close(fd);
   }
   bool connected() const { return fd >= 0; }
   bool send_all(std::string_view data) {
      while (!data.empty()) {
         const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
         if (n <= 0)
            return false;
         data.remove_prefix(static_cast<std::size_t>(n));
      }
      return true;
   }
   bool send_line(std::string_view line) { return send_all(std::string(line) + "\n"); }
   /// The next line, or nullopt on EOF, error or after `timeout`.
   std::optional<std::string> read_line(std::chrono::milliseconds timeout = 5000ms) {
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      for (;;) {
         if (auto nl = buf.find('\n'); nl != std::string::npos) {
            std::string line = buf.substr(0, nl);
            buf.erase(0, nl + 1);
            return line;
         }
         const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
         if (left <= 0ms)
            return std::nullopt;
         pollfd p{fd, POLLIN, 0};
         if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            continue;
         char tmp[65536];
         const auto n = ::recv(fd, tmp, sizeof tmp, 0);
         if (n <= 0)
            return std::nullopt;
         buf.append(tmp, static_cast<std::size_t>(n));
      }
   }
   /// Reads until EOF (true) or timeout (false), discarding data.
   bool wait_eof(std::chrono::milliseconds timeout = 5000ms) {
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      for (;;) {
         const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
         if (left <= 0ms)
            return false;
         pollfd p{fd, POLLIN, 0};
         if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            continue;
         char tmp[65536];
         const auto n = ::recv(fd, tmp, sizeof tmp, 0);
         if (n <= 0)
            return true;
      }
   }
};

/// Echo handler: "watch" subscribes, "throw" throws, anything else is echoed back.
control_reply echo_handler(std::string_view line) {
   if (line == "watch")
      return {"{\"watching\":true}", true};
   if (line == "throw")
      throw std::runtime_error("boom \"quoted\"");
   return {"{\"echo\":\"" + std::string(line) + "\"}", false};
}

/// Polls `cond` on the network thread until it holds or 5 s pass.
template <class F>
bool eventually(io_thread& t, F cond) {
   const auto deadline = std::chrono::steady_clock::now() + 5s;
   while (std::chrono::steady_clock::now() < deadline) {
      if (t.on_io(cond))
         return true;
      std::this_thread::sleep_for(2ms);
   }
   return false;
}

struct fixture {
   temp_dir dir;
   io_thread t;
   fs::path sock = dir.path / "p2pnode.sock";
   std::unique_ptr<control_server> server;
   explicit fixture(control_server::handler h = echo_handler) {
      server = std::make_unique<control_server>(t.io, sock, std::move(h));
      auto r = server->start();
      INFO((r ? std::string() : r.error()));
      REQUIRE(r);
      t.run();
   }
   ~fixture() {
      t.on_io([this] {
         server.reset();
         return 0;
      });
   }
};

} // namespace

TEST_CASE("control_server: replies in request order", "[node]") {
   fixture f;
   client c(f.sock);
   REQUIRE(c.connected());
   std::string batch;
   for (int i = 0; i < 200; ++i)
      batch += "req" + std::to_string(i) + "\n";
   batch += "\n   \r\nlast\r\n"; // blank lines are not requests; CRLF is accepted
   REQUIRE(c.send_all(batch));
   for (int i = 0; i < 200; ++i)
      REQUIRE(c.read_line() == "{\"echo\":\"req" + std::to_string(i) + "\"}");
   CHECK(c.read_line() == "{\"echo\":\"last\"}");
}

TEST_CASE("control_server: several clients, each its own replies", "[node]") {
   fixture f;
   client a(f.sock), b(f.sock), c(f.sock);
   REQUIRE((a.connected() && b.connected() && c.connected()));
   CHECK(eventually(f.t, [&] { return f.server->client_count() == 3; }));
   REQUIRE(b.send_line("from-b"));
   REQUIRE(a.send_line("from-a"));
   REQUIRE(c.send_all("from-c-part1"));
   CHECK(a.read_line() == "{\"echo\":\"from-a\"}");
   CHECK(b.read_line() == "{\"echo\":\"from-b\"}");
   REQUIRE(c.send_line("-part2"));
   CHECK(c.read_line() == "{\"echo\":\"from-c-part1-part2\"}");
   ::close(b.fd);
   b.fd = -1;
   CHECK(eventually(f.t, [&] { return f.server->client_count() == 2; }));
   REQUIRE(a.send_line("again"));
   CHECK(a.read_line() == "{\"echo\":\"again\"}");
}

TEST_CASE("control_server: a throwing handler answers ok:false", "[node]") {
   fixture f;
   client c(f.sock);
   REQUIRE(c.send_line("throw"));
   CHECK(c.read_line() == R"({"ok":false,"error":"boom \"quoted\""})");
   REQUIRE(c.send_line("after"));
   CHECK(c.read_line() == "{\"echo\":\"after\"}");
}

TEST_CASE("control_server: socket file is mode 0600 and stop unlinks it", "[node]") {
   fixture f;
   struct stat st {};
   REQUIRE(::stat(f.sock.c_str(), &st) == 0);
   CHECK(S_ISSOCK(st.st_mode));
   CHECK((st.st_mode & 0777) == 0600);
   CHECK(f.server->path() == f.sock);
   client c(f.sock);
   REQUIRE(c.send_line("x"));
   REQUIRE(c.read_line());
   f.t.on_io([&] {
      f.server->stop();
      return 0;
   });
   CHECK_FALSE(fs::exists(f.sock));
   CHECK(c.wait_eof());
   CHECK(f.t.on_io([&] { return f.server->client_count(); }) == 0);
}

TEST_CASE("control_server: a stale socket file is replaced", "[node]") {
   temp_dir dir;
   const auto sock = dir.path / "p2pnode.sock";
   {
      // Bind and close without unlinking: what a killed node leaves behind.
      const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::memcpy(addr.sun_path, sock.c_str(), sock.string().size());
      REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0);
      ::close(fd);
   }
   REQUIRE(fs::is_socket(sock));
   io_thread t;
   auto server = std::make_unique<control_server>(t.io, sock, echo_handler);
   auto r = server->start();
   INFO((r ? std::string() : r.error()));
   REQUIRE(r);
   t.run();
   client c(sock);
   REQUIRE(c.send_line("hi"));
   CHECK(c.read_line() == "{\"echo\":\"hi\"}");
   t.on_io([&] {
      server.reset();
      return 0;
   });
   CHECK_FALSE(fs::exists(sock));
}

TEST_CASE("control_server: a live socket is not taken over", "[node]") {
   fixture f;
   {
      boost::asio::io_context io2;
      control_server second(io2, f.sock, echo_handler);
      auto r = second.start();
      REQUIRE_FALSE(r);
      CHECK(r.error() == "another process is listening on " + f.sock.string());
   }
   REQUIRE(fs::exists(f.sock)); // the failed server did not unlink the live one's file
   client c(f.sock);
   REQUIRE(c.send_line("still here"));
   CHECK(c.read_line() == "{\"echo\":\"still here\"}");
}

TEST_CASE("control_server: bad paths are clear errors", "[node]") {
   temp_dir dir;
   boost::asio::io_context io;
   {
      control_server s(io, dir.path / std::string(200, 'x'), echo_handler);
      auto r = s.start();
      REQUIRE_FALSE(r);
      CHECK(r.error().find("too long") != std::string::npos);
   }
   {
      const auto file = dir.path / "regular";
      std::ofstream(file) << "x";
      control_server s(io, file, echo_handler);
      auto r = s.start();
      REQUIRE_FALSE(r);
      CHECK(r.error().find("not a socket") != std::string::npos);
      CHECK(fs::exists(file));
   }
   {
      control_server s(io, dir.path / "missing-dir" / "p2pnode.sock", echo_handler);
      auto r = s.start();
      REQUIRE_FALSE(r);
      CHECK(r.error().find("bind") != std::string::npos);
   }
}

TEST_CASE("control_server: an over-long request line closes its client", "[node]") {
   fixture f;
   client other(f.sock);
   client c(f.sock);
   std::thread writer([&] {
      const std::string chunk(1024 * 1024, 'a');
      for (std::size_t sent = 0; sent <= control_server::max_request_line_bytes; sent += chunk.size())
         if (!c.send_all(chunk))
            break; // the server closed us: expected
   });
   CHECK(c.read_line(20s) == R"({"ok":false,"error":"request line too long"})");
   CHECK(c.wait_eof(20s));
   writer.join();
   REQUIRE(other.send_line("fine"));
   CHECK(other.read_line() == "{\"echo\":\"fine\"}");
   CHECK(eventually(f.t, [&] { return f.server->client_count() == 1; }));
}

TEST_CASE("control_server: at most 64 clients", "[node]") {
   fixture f;
   std::vector<std::unique_ptr<client>> clients;
   for (std::size_t i = 0; i < control_server::max_clients; ++i) {
      clients.push_back(std::make_unique<client>(f.sock));
      REQUIRE(clients.back()->connected());
   }
   REQUIRE(eventually(f.t, [&] { return f.server->client_count() == control_server::max_clients; }));
   client extra(f.sock);
   REQUIRE(extra.connected());
   CHECK(extra.read_line() == R"({"ok":false,"error":"too many clients"})");
   CHECK(extra.wait_eof());
   CHECK(f.t.on_io([&] { return f.server->client_count(); }) == control_server::max_clients);
   REQUIRE(clients.front()->send_line("first"));
   CHECK(clients.front()->read_line() == "{\"echo\":\"first\"}");
   // A slot freed is a slot usable again.
   clients.pop_back();
   REQUIRE(eventually(f.t, [&] { return f.server->client_count() == control_server::max_clients - 1; }));
   client again(f.sock);
   REQUIRE(again.send_line("in"));
   CHECK(again.read_line() == "{\"echo\":\"in\"}");
}

TEST_CASE("control_server: publish reaches subscribers only, requests still answered", "[node]") {
   fixture f;
   client s1(f.sock), s2(f.sock), plain(f.sock);
   REQUIRE(s1.send_line("watch"));
   REQUIRE(s2.send_line("watch"));
   CHECK(s1.read_line() == "{\"watching\":true}");
   CHECK(s2.read_line() == "{\"watching\":true}");
   REQUIRE(eventually(f.t, [&] { return f.server->subscriber_count() == 2; }));
   f.t.on_io([&] {
      f.server->publish(R"({"event":"lib","block_num":7})");
      f.server->publish(R"({"event":"lib","block_num":8})");
      return 0;
   });
   CHECK(s1.read_line() == R"({"event":"lib","block_num":7})");
   CHECK(s1.read_line() == R"({"event":"lib","block_num":8})");
   CHECK(s2.read_line() == R"({"event":"lib","block_num":7})");
   CHECK(s2.read_line() == R"({"event":"lib","block_num":8})");
   REQUIRE(s1.send_line("status"));
   CHECK(s1.read_line() == "{\"echo\":\"status\"}");
   REQUIRE(plain.send_line("status"));
   CHECK(plain.read_line() == "{\"echo\":\"status\"}");
   CHECK_FALSE(plain.read_line(50ms)); // no event was sent to a non-subscriber
}

TEST_CASE("control_server: a subscriber that never reads is dropped, others unaffected", "[node]") {
   fixture f;
   client stuck(f.sock), other(f.sock);
   REQUIRE(stuck.send_line("watch"));
   REQUIRE(stuck.read_line() == "{\"watching\":true}");
   REQUIRE(eventually(f.t, [&] { return f.server->subscriber_count() == 1; }));
   const std::string event = "{\"event\":\"block\",\"pad\":\"" + std::string(64 * 1024, 'p') + "\"}";
   // 64 MiB in total: far past the 8 MiB queue plus any socket buffer.
   std::size_t published = 0;
   while (published < 1024 && f.t.on_io([&] { return f.server->subscriber_count(); }) == 1) {
      f.t.on_io([&] {
         for (int i = 0; i < 16; ++i)
            f.server->publish(event);
         return 0;
      });
      published += 16;
      // The node's thread is not stalled: another client is answered promptly meanwhile.
      REQUIRE(other.send_line("ping" + std::to_string(published)));
      REQUIRE(other.read_line(2s) == "{\"echo\":\"ping" + std::to_string(published) + "\"}");
   }
   CHECK(published < 1024);
   CHECK(f.t.on_io([&] { return f.server->subscriber_count(); }) == 0);
   CHECK(f.t.on_io([&] { return f.server->client_count(); }) == 1);
   CHECK(stuck.wait_eof(20s));
}

TEST_CASE("control_server: a client that pipelines without reading is closed", "[node]") {
   fixture f([](std::string_view) { return control_reply{std::string(256 * 1024, 'r'), false}; });
   client greedy(f.sock), other(f.sock);
   std::thread writer([&] {
      for (int i = 0; i < 200; ++i) // 200 × 256 KiB of replies = 50 MiB
         if (!greedy.send_line("q"))
            break;
   });
   REQUIRE(other.send_line("q"));
   CHECK(other.read_line(2s).value_or("").size() == 256 * 1024);
   CHECK(greedy.wait_eof(20s));
   writer.join();
   CHECK(eventually(f.t, [&] { return f.server->client_count() == 1; }));
}
