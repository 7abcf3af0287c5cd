// A node whose data dir is on a small filesystem that fills up (a tmpfs mounted over the data
// dir; mounting needs root, as CI has, and the test is skipped otherwise): it stops accepting
// and producing blocks, says so on stderr and in status, keeps serving what it holds, and
// resumes with nothing lost when space returns. Two ways to fill up:
//  - the resource monitor sees the filesystem over its threshold before any write fails;
//  - a write fails with ENOSPC first (the monitor's threshold out of reach), and the store is
//    reopened once the space is back.
#include "support/devnet.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

using namespace std::chrono_literals;

namespace {

/// A tmpfs of `megabytes` mounted over `dir` for the scope (lazily unmounted at the end).
class tmpfs_mount {
public:
   tmpfs_mount(const std::filesystem::path& dir, unsigned megabytes) : dir_(dir) {
      std::filesystem::create_directories(dir);
      const std::string opts = "size=" + std::to_string(megabytes) + "m";
      if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) != 0)
         test::skip_test("cannot mount a tmpfs over " + dir.string() + " (" + std::strerror(errno) +
                         "): the disk-full tests need root, as CI runs them");
   }
   ~tmpfs_mount() { ::umount2(dir_.c_str(), MNT_DETACH); }
   tmpfs_mount(const tmpfs_mount&) = delete;
   tmpfs_mount& operator=(const tmpfs_mount&) = delete;

private:
   std::filesystem::path dir_;
};

uint64_t available_bytes(const std::filesystem::path& dir) {
   struct statvfs st {};
   REQUIRE(::statvfs(dir.c_str(), &st) == 0);
   return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

uint64_t capacity_bytes(const std::filesystem::path& dir) {
   struct statvfs st {};
   REQUIRE(::statvfs(dir.c_str(), &st) == 0);
   return static_cast<uint64_t>(st.f_blocks) * st.f_frsize;
}

/// Writes zeros to `path` until `bytes` are written or the filesystem is full.
void fill(const std::filesystem::path& path, uint64_t bytes) {
   std::ofstream out(path, std::ios::binary);
   static const std::string chunk(64 * 1024, '\0');
   for (uint64_t done = 0; done < bytes && out; done += chunk.size())
      out.write(chunk.data(), static_cast<std::streamsize>(std::min<uint64_t>(chunk.size(), bytes - done)));
   out.flush();
}

/// The store fields of `p2pctl --json status`: "ok" / "unavailable", and the error.
struct store_state {
   std::string store;
   std::string error;
   uint32_t head = 0;
   uint32_t lib = 0;
};
std::optional<store_state> store_of(it::node_process& n) {
   auto r = n.ctl({"status"}, 5s);
   if (r.rc != 0)
      return std::nullopt;
   auto d = it::parse_object(r.out);
   if (!d)
      return std::nullopt;
   return store_state{it::str_member(*d, "store"), it::str_member(*d, "store_error"),
                      static_cast<uint32_t>(it::uint_member(*d, "head_block_num")),
                      static_cast<uint32_t>(it::uint_member(*d, "last_irreversible_block_num"))};
}

bool unavailable(it::node_process& n) {
   auto s = store_of(n);
   return s && s->store == "unavailable";
}

bool available(it::node_process& n) {
   auto s = store_of(n);
   return s && s->store == "ok";
}

/// Every block 2..upto has the same id on both nodes.
void check_same_chain(it::node_process& a, it::node_process& b, uint32_t upto) {
   for (uint32_t n = 2; n <= upto; ++n) {
      INFO("block " << n);
      auto x = a.block_id(n);
      REQUIRE(x);
      CHECK(x == b.block_id(n));
   }
}

} // namespace

TEST_CASE("disk full: a producer over the space threshold stops, serves what it has, and resumes with nothing lost",
          "[integration][diskfull]") {
   it::cluster c("diskfull-prod");
   auto& prod = c.add("prod");
   tmpfs_mount mnt(prod.data_dir(), 64);
   it::make_producer(prod, {"eosio"});
   prod.set("resource-monitor-space-threshold", "60").set("resource-monitor-interval-seconds", "1");
   auto& peer = c.add("peer");
   peer.set("p2p-peer-address", prod.endpoint());
   prod.start();
   peer.start();
   IT_WAIT_REQUIRE(c.logs(), 20s, [&] {
      auto s = peer.status();
      return s && s->lib_num >= 6;
   }());
   REQUIRE(available(prod));

   // Fill the filesystem to 70 % used: over the threshold, with room left for RocksDB.
   const auto dir = prod.data_dir();
   const uint64_t keep_free = capacity_bytes(dir) * 30 / 100;
   REQUIRE(available_bytes(dir) > keep_free);
   fill(dir / "filler", available_bytes(dir) - keep_free);
   IT_WAIT_REQUIRE(c.logs(), 5s, unavailable(prod));
   const auto fault = store_of(prod);
   REQUIRE(fault);
   CHECK(fault->error.find("resource-monitor-space-threshold") != std::string::npos);
   CHECK(prod.log_text().find("the store cannot write") != std::string::npos);

   // No block produced meanwhile; the node answers and serves the blocks it holds.
   std::this_thread::sleep_for(1500ms);
   const auto paused = prod.require_status();
   std::this_thread::sleep_for(2s);
   CHECK(prod.require_status().head_num == paused.head_num);
   CHECK(unavailable(prod));
   auto& reader = c.add("reader");
   reader.set("p2p-peer-address", prod.endpoint());
   reader.start();
   IT_WAIT_REQUIRE(c.logs(), 20s, [&] {
      auto s = reader.status();
      return s && s->head_num >= paused.lib_num;
   }());
   CHECK(reader.block_id(paused.lib_num) == prod.block_id(paused.lib_num));

   // Space returns: production resumes, everyone follows, the LIB moves on.
   std::filesystem::remove(dir / "filler");
   IT_WAIT_REQUIRE(c.logs(), 10s, available(prod));
   CHECK(prod.log_text().find("the store writes again") != std::string::npos);
   IT_WAIT_REQUIRE(c.logs(), 20s, [&] {
      auto p = peer.status();
      auto r = reader.status();
      return p && r && p->lib_num >= paused.head_num + 4 && r->lib_num >= paused.head_num + 4;
   }());

   // Nothing lost: the same chain everywhere, and the producer's store reopens with its LIB.
   const auto before_stop = prod.require_status();
   check_same_chain(prod, peer, before_stop.lib_num);
   CHECK(reader.block_id(before_stop.lib_num) == prod.block_id(before_stop.lib_num));
   CHECK(prod.stop() == std::optional<int>(0));
   prod.start();
   const auto restarted = prod.require_status();
   CHECK(restarted.lib_num >= before_stop.lib_num);
   CHECK(prod.block_id(before_stop.lib_num) == peer.block_id(before_stop.lib_num));
   CHECK(available(prod));
}

TEST_CASE("disk full: a write that fails with ENOSPC stops a node, which reopens its store when space returns",
          "[integration][diskfull]") {
   it::cluster c("diskfull-enospc");
   auto& prod = c.add("prod");
   it::make_producer(prod, {"eosio"});
   auto& node = c.add("node");
   // Too small for RocksDB's write-ahead-log preallocation, so each write takes new space; the
   // monitor looks once at start and then only every 300 s, so a write fails first.
   tmpfs_mount mnt(node.data_dir(), 8);
   node.set("p2p-peer-address", prod.endpoint())
      .set("resource-monitor-space-threshold", "99")
      .set("resource-monitor-interval-seconds", "300");
   prod.start();
   node.start();
   IT_WAIT_REQUIRE(c.logs(), 20s, [&] {
      auto s = node.status();
      return s && s->lib_num >= 6;
   }());

   const auto dir = node.data_dir();
   fill(dir / "filler", available_bytes(dir));
   IT_WAIT_REQUIRE(c.logs(), 10s, unavailable(node));
   const auto fault = store_of(node);
   REQUIRE(fault);
   CHECK(fault->error.find("No space left on device") != std::string::npos);

   // It accepts no more blocks while the producer goes on, and still answers.
   std::this_thread::sleep_for(1500ms);
   const auto paused = node.require_status();
   std::this_thread::sleep_for(2s);
   CHECK(node.require_status().head_num == paused.head_num);
   CHECK(prod.require_status().head_num > paused.head_num + 2);

   std::filesystem::remove(dir / "filler");
   IT_WAIT_REQUIRE(c.logs(), 10s, available(node));
   IT_WAIT_REQUIRE(c.logs(), 30s, [&] {
      auto n = node.status();
      auto p = prod.status();
      return n && p && n->lib_num >= paused.head_num + 4 && n->head_num + 2 >= p->head_num;
   }());
   const auto before_stop = node.require_status();
   check_same_chain(node, prod, before_stop.lib_num);
   CHECK(node.stop() == std::optional<int>(0));
   node.start();
   CHECK(node.require_status().lib_num >= before_stop.lib_num);
   CHECK(available(node));
}
