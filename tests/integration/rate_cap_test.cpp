// A p2p-listen-endpoint rate cap (host:port:RATE, PROTOCOL.md §9–§10) paces the sync blocks the
// node serves on connections accepted there; another endpoint of the same node, without a cap,
// serves the same range at full speed. The fake peer is msgcraft's peer_session.
#include "support/devnet.hpp"

#include "peer_session.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace std::chrono_literals;

namespace {

/// The pre-built chain: blocks after the genesis block, each with transactions so that a block
/// is a few KiB (about 4.3 KiB each, 1.3 MB in all).
constexpr uint32_t seeded_blocks = 300;
constexpr it::seed_transactions seeded_trx{2, 2000};
/// The capped endpoint's rate as configured, and in bytes/s. The range takes about 7 s there.
constexpr const char* cap_text = "192KiB/s";
constexpr double cap_bytes_per_s = 192.0 * 1024;
/// The burst a capped connection may send ahead of the rate: a tenth of a second's worth
/// (peer_manager's serving pump).
constexpr double burst_bytes = cap_bytes_per_s / 10;

/// What a fake peer received for one sync_request.
struct transfer {
   /// (seconds since the request was sent, bytes of blocks received so far) after each block.
   std::vector<std::pair<double, uint64_t>> arrivals;
   uint64_t bytes = 0;           ///< framed blocks: length prefix + index + body
   uint64_t max_frame_bytes = 0; ///< the largest block frame
   uint32_t blocks = 0;
   uint32_t out_of_order = 0;
   double seconds = 0;           ///< request sent → last block read
   std::string error;            ///< why it stopped early ("" when every block arrived)

   double rate() const { return seconds > 0 ? double(bytes) / seconds : 0; }
};

/// Connects to `port` as a peer in step with the node (status `s`), asks for blocks
/// [first, last] with a sync_request and receives them, for at most `within`.
transfer fetch_range(uint16_t port, const it::node_status& s, uint32_t first, uint32_t last,
                     std::chrono::seconds within) {
   transfer t;
   auto session = msgcraft::peer_session::connect("127.0.0.1", port, 5000ms);
   if (!session) {
      t.error = "connect: " + session.error();
      return t;
   }
   msgcraft::handshake_options h;
   h.chain_id = *core::checksum256::from_string(s.chain_id);
   h.chain.head_num = s.head_num;
   h.chain.head_id = *core::block_id_type::from_string(s.head_id);
   h.chain.lib_num = s.lib_num;
   h.chain.lib_id = *core::block_id_type::from_string(s.lib_id);
   h.agent = "rate cap test";
   if (auto r = session->send_handshake(h); !r) {
      t.error = "handshake: " + r.error();
      return t;
   }
   if (!session->receive_message<core::handshake_message>(msgcraft::peer_session::clock::now() + 10s)) {
      t.error = "no handshake from the node";
      return t;
   }
   // The node's cap runs on the monotonic clock from when the request arrives; timing from just
   // before sending it, to just after each block is read, on the same clock, can only overstate
   // the time the node took.
   const auto sent_at = std::chrono::steady_clock::now();
   if (auto r = session->send(core::sync_request_message{first, last}); !r) {
      t.error = "sync_request: " + r.error();
      return t;
   }
   const auto deadline = msgcraft::peer_session::clock::now() + within;
   uint32_t next = first;
   while (next <= last) {
      auto r = session->receive(deadline);
      if (!r) {
         t.error = r.status == msgcraft::receive_status::timeout ? "timed out" : "closed: " + r.reason;
         break;
      }
      const auto* blk = std::get_if<core::signed_block>(&r->message);
      if (!blk)
         continue;
      const uint64_t frame = r->payload.size() + 4;
      t.bytes += frame;
      t.max_frame_bytes = std::max(t.max_frame_bytes, frame);
      ++t.blocks;
      t.out_of_order += blk->block_num() != next;
      next = blk->block_num() + 1;
      t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent_at).count();
      t.arrivals.emplace_back(t.seconds, t.bytes);
   }
   session->close();
   return t;
}

/// The most bytes received in any window of `width` seconds (by arrival time).
uint64_t max_window_bytes(const transfer& t, double width) {
   uint64_t best = 0;
   std::size_t lo = 0;
   for (std::size_t hi = 0; hi < t.arrivals.size(); ++hi) {
      while (t.arrivals[hi].first - t.arrivals[lo].first > width)
         ++lo;
      const uint64_t before = lo == 0 ? 0 : t.arrivals[lo - 1].second;
      best = std::max(best, t.arrivals[hi].second - before);
   }
   return best;
}

} // namespace

TEST_CASE("rate cap: sync blocks served on a capped listen endpoint stay within its rate, and an uncapped one serves them faster",
          "[integration][rate]") {
   it::cluster c("rate");
   auto& n = c.add("server");
   const auto ids = it::seed_chain(n.data_dir(), seeded_blocks, seeded_trx);
   const uint32_t head = static_cast<uint32_t>(ids.size());
   const uint16_t capped_port = it::free_port();
   // The first endpoint (the harness's) has no cap; the second caps each connection it accepts.
   n.set("genesis-json", (n.data_dir() / "genesis.json").string())
      .set("p2p-listen-endpoint", "127.0.0.1:" + std::to_string(capped_port) + ":" + cap_text);
   n.start();
   const auto s = n.require_status();
   REQUIRE(s.head_num == head);

   // Uncapped first, so a warm cache cannot explain its speed.
   const auto uncapped = fetch_range(n.port(), s, 2, head, 30s);
   const auto capped = fetch_range(capped_port, s, 2, head, 60s);

   const double ideal_s = double(capped.bytes) / cap_bytes_per_s;
   INFO("blocks 2.." << head << ": " << capped.bytes << " bytes, largest block frame " << capped.max_frame_bytes
                     << " bytes\nuncapped: " << uncapped.seconds << " s, " << uncapped.rate() / 1024 << " KiB/s"
                     << (uncapped.error.empty() ? "" : ", " + uncapped.error) << "\ncapped at " << cap_text << ": "
                     << capped.seconds << " s (" << ideal_s << " s at the cap), " << capped.rate() / 1024
                     << " KiB/s, busiest second " << max_window_bytes(capped, 1.0) / 1024 << " KiB"
                     << (capped.error.empty() ? "" : ", " + capped.error) << "\n"
                     << n.log_tail());
   REQUIRE(uncapped.blocks == head - 1);
   REQUIRE(capped.blocks == head - 1);
   CHECK(uncapped.out_of_order == 0);
   CHECK(capped.out_of_order == 0);
   CHECK(capped.bytes == uncapped.bytes);
   // The range is big enough that the cap, not start-up, decides how long it takes.
   REQUIRE(ideal_s >= 5.0);

   // Within the cap: at every block, what arrived since the request is at most the rate times
   // the time elapsed, plus the burst and the one block that may cross the limit. (The node
   // starts its clock after the request arrives, and arrival only lags sending, so load on this
   // machine cannot break the bound; only a node sending ahead of its cap can.)
   uint32_t over = 0;
   std::string first_over;
   double least_margin = cap_bytes_per_s;
   for (const auto& [t, bytes] : capped.arrivals) {
      const double margin = cap_bytes_per_s * t + burst_bytes + double(capped.max_frame_bytes) - double(bytes);
      least_margin = std::min(least_margin, margin);
      if (margin < 0 && over++ == 0)
         first_over = std::to_string(bytes) + " bytes after " + std::to_string(t) + " s";
   }
   INFO("least margin under the cap: " << least_margin << " bytes; first arrival over it: " << first_over);
   CHECK(over == 0);
   CHECK(capped.seconds >= (double(capped.bytes) - burst_bytes - double(capped.max_frame_bytes)) / cap_bytes_per_s);

   // The same range on the uncapped endpoint of the same node takes a fraction of that.
   CHECK(uncapped.seconds * 3 < capped.seconds);
   CHECK(uncapped.rate() > 3 * cap_bytes_per_s);
}
