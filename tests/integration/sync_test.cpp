// A fresh node syncing a pre-built chain from three peers, in --sync-fetch-span chunks.
#include "support/devnet.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <sstream>
#include <set>
#include <thread>

using namespace std::chrono_literals;

namespace {

/// Blocks in the pre-built chain (after the genesis block).
constexpr uint32_t seeded_blocks = 600;
/// Blocks per sync_request the fresh node is configured with.
constexpr uint32_t span = 10;

/// What the node's log says about the sync requests it sent: lines about sync requests
/// ("sync_request", "sync request", "requesting blocks"), the [first, last] range of each line
/// that has one, and the peer-log prefix ("[...]") of those lines (one per connection).
struct logged_requests {
   std::size_t lines = 0;
   std::vector<std::pair<uint64_t, uint64_t>> ranges;
   std::set<std::string> connections;
};

logged_requests parse_sync_requests(const std::string& log) {
   static const std::regex about(R"(sync[ _-]?req|requesting blocks)", std::regex::icase);
   static const std::regex range(R"((\d+)\s*(?:-|\.\.|,|to)\s*(\d+))");
   static const std::regex prefix(R"(\[[^\]]*\])");
   logged_requests r;
   std::istringstream in(log);
   for (std::string l; std::getline(in, l);) {
      std::smatch where, m;
      if (!std::regex_search(l, where, about))
         continue;
      ++r.lines;
      const std::string head = where.prefix(), tail = where.suffix();
      if (std::regex_search(tail, m, range)) {
         const uint64_t first = std::stoull(m[1]), last = std::stoull(m[2]);
         if (first > 0 && last >= first)
            r.ranges.emplace_back(first, last);
      }
      if (std::regex_search(head, m, prefix))
         r.connections.insert(m[0]);
   }
   return r;
}

} // namespace

TEST_CASE("sync: a fresh node with --sync-fetch-span 10 syncs in chunks from three peers and reaches in_sync",
          "[integration][sync]") {
   it::cluster c("sync");
   const auto seed = c.root() / "seed";
   const auto ids = it::seed_chain(seed, seeded_blocks);
   const uint32_t head = static_cast<uint32_t>(ids.size()); // block 1 is the genesis block
   const uint32_t lib = head - 1;
   const auto genesis = (seed / "genesis.json").string();

   for (int i = 1; i <= 3; ++i) {
      auto& src = c.add("src" + std::to_string(i));
      std::filesystem::copy(seed / "chain", src.data_dir() / "chain", std::filesystem::copy_options::recursive);
      src.set("genesis-json", genesis);
   }
   auto& fresh = c.add("fresh");
   fresh.set("genesis-json", genesis).set("sync-fetch-span", std::to_string(span)).set("log-level", "debug");
   for (int i = 0; i < 3; ++i)
      fresh.set("p2p-peer-address", c[i].endpoint());

   for (int i = 0; i < 3; ++i) {
      c[i].start();
      const auto s = c[i].require_status();
      INFO(c[i].name() << "\n" << c[i].log_tail());
      REQUIRE(s.head_num == head);
      REQUIRE(s.head_id == ids.back());
      REQUIRE(s.lib_num == lib);
   }

   fresh.start();
   // Sample the sync manager while it works.
   std::vector<uint64_t> requested;
   std::set<std::string> states;
   bool synced = false;
   const auto deadline = std::chrono::steady_clock::now() + 60s;
   while (!synced && std::chrono::steady_clock::now() < deadline) {
      auto r = fresh.ctl({"sync"}, 2s);
      if (r.rc == 0 && !r.lines().empty())
         if (auto d = it::parse_object(r.lines().front()))
            if (auto v = it::uint_member(*d, "last_requested_num", 0); v > 0 &&
                                                                       (requested.empty() || requested.back() != v))
               requested.push_back(v);
      if (auto s = fresh.status()) {
         states.insert(s->sync_state);
         synced = s->sync_state == "in_sync" && s->head_num == head;
      }
      std::this_thread::sleep_for(20ms);
   }
   if (!synced)
      FAIL("fresh node not in_sync at head " << head << " within 60 s\n" << c.logs());

   // The LIB trails the head by up to the node's LIB commit interval (250 ms).
   IT_WAIT_REQUIRE(c.logs(), 5s, [&] {
      auto st = fresh.status();
      return st && st->lib_num >= lib;
   }());
   const auto s = fresh.require_status();
   CHECK(s.head_id == ids.back());
   CHECK(s.lib_num == lib);
   CHECK(s.lib_id == ids[lib - 1]);
   CHECK(s.peer_count == 3);
   CHECK(fresh.block_id(lib / 2) == std::optional<std::string>(ids[lib / 2 - 1]));

   // Chunks: every range the node asked for is at most `span` blocks; there were enough of them.
   const auto logged = parse_sync_requests(fresh.log_text());
   INFO("sync samples: " << requested.size() << ", sync request log lines: " << logged.lines
                         << ", ranges parsed from the log: " << logged.ranges.size() << "\n" << fresh.log_tail(40));
   for (const auto& [a, b] : logged.ranges) {
      CHECK(b - a + 1 <= span);
      CHECK(b <= lib);
   }
   // Distinct last_requested_num values are chunk ends: consecutive ones a multiple of `span`
   // apart (or the last, clipped to the peers' LIB), never past that LIB.
   for (auto v : requested)
      CHECK(v <= lib);
   const bool chunked_by_samples = requested.size() >= 3 &&
      std::is_sorted(requested.begin(), requested.end()) &&
      std::adjacent_find(requested.begin(), requested.end(),
                         [lib](uint64_t x, uint64_t y) { return (y - x) % span != 0 && y != lib; }) == requested.end();
   const bool chunked_by_log = logged.ranges.size() >= (lib - 1) / span;
   CHECK((chunked_by_samples || chunked_by_log));
   // The requests went round-robin over the three peers (sync-peer-limit 3), when the log shows them.
   if (!logged.ranges.empty())
      CHECK(logged.connections.size() == 3);

   // Three sources: the blocks came from more than one peer (round-robin over sync_peer_limit).
   int sources = 0;
   for (const auto& p : fresh.peers())
      if (it::uint_member(p, "bytes_received") > 20000)
         ++sources;
   CHECK(sources >= 2);
}
