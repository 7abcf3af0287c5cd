// p2pctl's failure exits: 1 refused, 2 usage, 3 unreachable (no socket, garbage, no reply).
#include "fake_node.hpp"

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>

using test::fake_node;
using test::run_p2pctl;

TEST_CASE("p2pctl: usage errors exit 2", "[p2pctl]") {
   CHECK(run_p2pctl({}).code == 2);
   auto unknown = run_p2pctl({"--socket", "/nonexistent/s", "frobnicate"});
   CHECK(unknown.code == 2);
   CHECK_FALSE(unknown.err.empty());
   CHECK(run_p2pctl({"--timeout", "-1", "status"}).code == 2);
   CHECK(run_p2pctl({"--no-such-flag", "status"}).code == 2);
   CHECK(run_p2pctl({"status", "extra"}).code == 2);
   auto help = run_p2pctl({"--help"});
   CHECK(help.code == 0);
   CHECK(help.out.find("push-transaction") != std::string::npos);
}

TEST_CASE("p2pctl: a refusal exits 1 with the node's error", "[p2pctl]") {
   fake_node node; // no scripted replies: every command is refused
   auto r = node.run({"status"});
   CHECK(r.code == 1);
   CHECK(r.out.empty());
   CHECK(r.err == "p2pctl: unknown command\n");
   node.reply("watch", R"({"ok":false,"error":"too many watchers"})");
   auto w = node.run({"watch"});
   CHECK(w.code == 1);
   CHECK(w.err == "p2pctl: too many watchers\n");
}

TEST_CASE("p2pctl: no socket exits 3 naming the path", "[p2pctl]") {
   fake_node node;
   const auto missing = (node.dir / "nope.sock").string();
   auto r = run_p2pctl({"--socket", missing, "status"});
   CHECK(r.code == 3);
   CHECK(r.out.empty());
   CHECK(r.err.find(missing) != std::string::npos);
   CHECK(r.err.rfind("p2pctl: cannot reach p2pnode at ", 0) == 0);
   auto d = run_p2pctl({"--data-dir", (node.dir / "nodir").string(), "peers"});
   CHECK(d.code == 3);
   CHECK(d.err.find("nodir/p2pnode.sock") != std::string::npos);
}

TEST_CASE("p2pctl: a path that is not a socket is named as such", "[p2pctl]") {
   fake_node node;
   const auto file = (node.dir / "plain").string();
   std::ofstream(file) << "not a socket";
   auto r = run_p2pctl({"--socket", file, "status"});
   CHECK(r.code == 3);
   CHECK(r.err == "p2pctl: cannot reach p2pnode at " + file + ": not a socket (a regular file or another kind of file)\n");
   auto d = run_p2pctl({"--socket", node.dir.string(), "status"});
   CHECK(d.code == 3);
   CHECK(d.err.find("not a socket but a directory") != std::string::npos);
}

TEST_CASE("p2pctl: a bad --timeout says what it takes, in a few words", "[p2pctl]") {
   for (const char* bad : {"abc", "0", "-1", "1e400", "100000"}) {
      INFO(bad);
      auto r = run_p2pctl({"--timeout", bad, "status"});
      CHECK(r.code == 2);
      CHECK(r.err.find("expected a number of seconds above 0 and at most 86400") != std::string::npos);
      CHECK(r.err.size() < 200);
   }
}

TEST_CASE("p2pctl: a stale socket (connection refused) exits 3", "[p2pctl]") {
   fake_node node;
   const auto stale = (node.dir / "stale.sock").string();
   const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
   sockaddr_un addr{};
   addr.sun_family = AF_UNIX;
   std::memcpy(addr.sun_path, stale.data(), stale.size());
   REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0);
   ::close(fd);
   auto r = run_p2pctl({"--socket", stale, "status"});
   CHECK(r.code == 3);
   CHECK(r.err.find("connection refused") != std::string::npos);
}

TEST_CASE("p2pctl: replies that are not JSON exit 3", "[p2pctl]") {
   fake_node node;
   node.reply("status", "this is not json");
   node.reply("sync", R"({"result":{}})");
   node.reply("peers", R"({"ok":true})");
   node.reply("watch", R"({"ok":true,"result":{"watching":true}})");
   node.events({"garbage event"});
   auto s = node.run({"status"});
   CHECK(s.code == 3);
   CHECK(s.err.find("not JSON") != std::string::npos);
   CHECK(s.err.find(node.socket()) != std::string::npos);
   CHECK(node.run({"sync"}).code == 3);
   CHECK(node.run({"peers"}).code == 3);
   auto w = node.run({"watch", "--count", "1"});
   CHECK(w.code == 3);
   CHECK(w.out.empty());
}

TEST_CASE("p2pctl: a node that never answers times out with exit 3", "[p2pctl]") {
   fake_node node;
   // A listener that never accepts: connect succeeds (backlog), no reply ever comes.
   const auto mute = (node.dir / "mute.sock").string();
   const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
   sockaddr_un addr{};
   addr.sun_family = AF_UNIX;
   std::memcpy(addr.sun_path, mute.data(), mute.size());
   REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0);
   REQUIRE(::listen(fd, 4) == 0);
   const auto start = std::chrono::steady_clock::now();
   auto r = run_p2pctl({"--socket", mute, "--timeout", "0.3", "status"});
   const auto took = std::chrono::steady_clock::now() - start;
   ::close(fd);
   CHECK(r.code == 3);
   CHECK(r.err.find("no reply within 0.3 s") != std::string::npos);
   CHECK(took >= std::chrono::milliseconds(250));
   CHECK(took < std::chrono::seconds(5));
}
