// kill -9 of a node in the middle of syncing: on restart on the same data dir its LIB never
// goes back, and it finishes the sync.
#include "support/devnet.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace std::chrono_literals;

TEST_CASE("sync: kill -9 while syncing, restart on the same data dir keeps LIB and reaches in_sync",
          "[integration][sync][crash]") {
   constexpr uint32_t seeded_blocks = 4000;
   it::cluster c("crash");
   auto& src = c.add("src");
   const auto ids = it::seed_chain(src.data_dir(), seeded_blocks);
   const uint32_t head = static_cast<uint32_t>(ids.size());
   const auto genesis = (src.data_dir() / "genesis.json").string();
   src.set("genesis-json", genesis);
   auto& dst = c.add("dst");
   dst.set("genesis-json", genesis).set("sync-fetch-span", "100").set("p2p-peer-address", src.endpoint());

   src.start();
   REQUIRE(src.require_status().head_num == head);

   uint32_t lib_before_kill = 0; // highest LIB dst reported before the last kill
   int mid_sync_kills = 0;
   bool done = false;
   for (uint32_t target = head / 6; target < head && !done; target += head / 6) {
      dst.start();
      const auto restarted = dst.require_status();
      INFO("restart after kill " << mid_sync_kills << ": LIB " << restarted.lib_num << ", before " << lib_before_kill
                                 << "\n" << dst.log_tail());
      CHECK(restarted.lib_num >= lib_before_kill);
      CHECK(restarted.head_num >= restarted.lib_num);
      if (restarted.lib_num > 1)
         CHECK(restarted.lib_id == ids[restarted.lib_num - 1]);
      // Kill as soon as the head passes the target (polled every 10 ms).
      const auto deadline = std::chrono::steady_clock::now() + 30s;
      while (std::chrono::steady_clock::now() < deadline) {
         auto s = dst.status();
         if (s) {
            lib_before_kill = std::max(lib_before_kill, s->lib_num);
            if (s->head_num >= head) {
               done = true;
               break;
            }
            if (s->head_num >= target)
               break;
         }
         std::this_thread::sleep_for(10ms);
      }
      dst.kill9();
      if (!done)
         ++mid_sync_kills;
   }
   INFO(c.logs());
   CHECK(mid_sync_kills >= 2);

   dst.start();
   CHECK(dst.require_status().lib_num >= lib_before_kill);
   IT_WAIT_REQUIRE(c.logs(), 60s, [&] {
      auto s = dst.status();
      return s && s->sync_state == "in_sync" && s->head_num == head;
   }());
   // The LIB trails the head by up to the node's LIB commit interval (250 ms).
   IT_WAIT_REQUIRE(c.logs(), 5s, [&] {
      auto st = dst.status();
      return st && st->lib_num >= head - 1;
   }());
   const auto s = dst.require_status();
   CHECK(s.head_id == ids.back());
   CHECK(s.lib_num == head - 1);
   CHECK(s.lib_id == ids[head - 2]);
   CHECK(dst.stop() == std::optional<int>(0));
}

namespace {
/// The newest write-ahead log of the node's store.
std::filesystem::path newest_wal(const std::filesystem::path& data_dir) {
   std::filesystem::path newest;
   for (const auto& e : std::filesystem::directory_iterator(data_dir / "chain"))
      if (e.path().extension() == ".log" && (newest.empty() || e.path() > newest))
         newest = e.path();
   REQUIRE_FALSE(newest.empty());
   return newest;
}

/// p2pnode on a damaged store: exits 1 at once, naming the damage and the way out.
void require_refused(it::node_process& n, const std::string& what) {
   n.spawn();
   const auto rc = n.process().wait(std::chrono::seconds(30));
   INFO(n.log_tail());
   REQUIRE(rc == std::optional<int>(1));
   const auto log = n.log_text();
   CHECK(log.find(what) != std::string::npos);
   CHECK(log.find("--replay-blockchain") != std::string::npos);
}
} // namespace

TEST_CASE("crash: a damaged or truncated write-ahead log is refused, and --replay-blockchain recovers",
          "[integration][crash]") {
   // A node synced past LIB 200 and killed: every block it committed is in its write-ahead log.
   constexpr uint32_t seeded_blocks = 300;
   it::cluster c("wal");
   auto& src = c.add("src");
   const auto ids = it::seed_chain(src.data_dir(), seeded_blocks);
   const auto genesis = (src.data_dir() / "genesis.json").string();
   src.set("genesis-json", genesis);
   auto& dst = c.add("dst");
   dst.set("genesis-json", genesis).set("p2p-peer-address", src.endpoint());
   src.start();
   dst.start();
   IT_WAIT_REQUIRE(c.logs(), 60s, [&] { auto s = dst.status(); return s && s->lib_num >= 200; }());
   dst.kill9();

   SECTION("2,000 bytes overwritten in the middle of the log (dd conv=notrunc)") {
      const auto wal = newest_wal(dst.data_dir());
      {
         std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
         f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(wal) / 2));
         const std::string junk(2000, '\xa5');
         f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
      }
      require_refused(dst, "damaged write-ahead log");
   }
   SECTION("the log truncated") {
      const auto wal = newest_wal(dst.data_dir());
      std::filesystem::resize_file(wal, std::filesystem::file_size(wal) / 2);
      require_refused(dst, "are lost");
   }
   // The way out: the replay keeps the blocks before the damage, and the rest is synced again.
   dst.arg("--replay-blockchain");
   dst.start(60s);
   IT_WAIT_REQUIRE(c.logs(), 60s, [&] {
      auto s = dst.status();
      return s && s->sync_state == "in_sync" && s->head_num == ids.size();
   }());
   CHECK(dst.log_text().find("those blocks are synced again from peers") != std::string::npos);
   CHECK(dst.require_status().head_id == ids.back());
}
