// Prints the figures of Savanna votes and block nack/notice in the protocol engine (one thread,
// virtual time, no sockets): the per-hop relay latency of a vote including its BLS verification,
// votes verified and relayed per second on one core against BLS verification alone (the bound),
// and the bytes a node sends relaying 1 MB blocks to 10 peers with and without nack/notice.
// The chain is the engine tests' fake chain; its process_vote decodes the key and the signature
// and verifies the signature over the block's digest, as the controller does (the policy lookup
// and the aggregation, a few microseconds, are left out). Not a test: nothing here asserts.
#include "bench_support.hpp"

#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"
#include "net/engine.hpp"
#include "support/fake_engine_chain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <sstream>
#include <vector>

namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

double thread_cpu_ms() {
   timespec ts{};
   ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
   return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct no_transport : core::transport_view {
   std::size_t queued_bytes(uint32_t) const override { return 0; }
};

core::checksum256 filled(uint8_t b) {
   core::checksum256 c;
   c.data.fill(b);
   return c;
}

/// An engine over a fake chain with `peers` handshaken peers at network_version 1216.
struct bench_node {
   core::manual_net_clock clock{core::net_time{std::chrono::seconds(1'800'000'000)}};
   test::fake_engine_chain chain;
   no_transport transport;
   std::ostringstream log_text;
   core::node_log log{log_text, core::log_level::warn, &clock};
   std::unique_ptr<core::engine> eng;
   std::vector<uint32_t> peers;

   bench_node(uint32_t blocks, std::size_t npeers, bool disable_nack = false) : chain(blocks, blocks > 1 ? blocks - 1 : 1) {
      core::engine_config cfg;
      cfg.identity.chain_id = filled(0xc1);
      cfg.identity.node_id = filled(0x10);
      cfg.identity.server_address = "bench:9876";
      cfg.max_clients = 0;
      cfg.max_nodes_per_host = 1000;
      cfg.disable_block_nack = disable_nack;
      eng = std::make_unique<core::engine>(chain, transport, cfg, log);
      chain.on_header_valid = [this](const std::shared_ptr<const core::signed_block>& b) {
         eng->on_block_validated(b, b->calculate_id(), clock.now());
      };
      eng->start(clock.now());
      for (std::size_t i = 0; i < npeers; ++i) {
         const uint32_t cid = uint32_t(i + 1);
         const std::string ip = fmt::format("10.0.{}.{}", i / 200, i % 200 + 1);
         eng->on_connected(cid, core::connection_info{false, ip + ":9876", ip, 9876, 0}, clock.now());
         core::peer_identity id;
         id.chain_id = cfg.identity.chain_id;
         id.node_id = filled(uint8_t(0x20 + i));
         id.server_address = ip + ":9876";
         core::handshake_chain_info ci;
         ci.lib_num = chain.lib;
         ci.lib_id = chain.id(chain.lib);
         ci.head_num = chain.head_num();
         ci.head_id = chain.head_id();
         eng->on_message(cid, core::make_handshake(id, ci, core::connection_kind::both, core::proto::gossip_bp_peers, 1,
                                                   clock.now()),
                         clock.now());
         peers.push_back(cid);
      }
      eng->take_actions();
      if (eng->connection_count() != npeers)
         fmt::print("only {} of {} peers connected:\n{}\n", eng->connection_count(), npeers, log_text.str());
   }
};

struct stats {
   double median = 0, p90 = 0, min = 0;
};
stats stats_of(std::vector<double> v) {
   std::sort(v.begin(), v.end());
   return {v[v.size() / 2], v[v.size() * 9 / 10], v.front()};
}

} // namespace

int main() {
   fmt::print("load average at start: {} (the machine is shared; compare figures of one run only)\n",
              bench::load_average());

   // ---- votes ---------------------------------------------------------------------------------
   constexpr std::size_t finalizers = 21;
   std::vector<core::bls::private_key> keys;
   std::vector<core::bls::public_key> pubs;
   for (std::size_t i = 0; i < finalizers; ++i) {
      keys.push_back(*core::bls::private_key::from_seed(std::vector<uint8_t>(32, uint8_t(i + 1))));
      pubs.push_back(keys.back().get_public_key());
   }
   bench_node node(10, 10);
   const auto digest = filled(0xd1); // the block's finality digest
   node.chain.vote_verdict = [&](const core::vote_message& v) {
      auto k = core::bls::public_key::from_bytes(v.finalizer_key.data);
      if (!k)
         return core::vote_status::unknown_public_key;
      auto s = core::bls::signature::from_bytes(v.sig.data);
      if (!s || !core::bls::verify(*k, digest.data, *s))
         return core::vote_status::invalid_signature;
      return core::vote_status::success;
   };
   // Distinct votes: each finalizer on each of many blocks (the fake chain answers duplicate for
   // a vote it already counted).
   constexpr std::size_t rounds = 12;
   std::vector<core::vote_message> votes;
   for (std::size_t r = 0; r < rounds; ++r)
      for (std::size_t i = 0; i < finalizers; ++i) {
         core::vote_message v;
         v.block_id = core::make_block_id(filled(uint8_t(r + 1)), uint32_t(100 + r));
         v.strong = true;
         v.finalizer_key.data = pubs[i].bytes();
         v.sig.data = keys[i].sign(digest.data).bytes();
         votes.push_back(v);
      }
   // Verification alone: the bound.
   std::vector<double> verify_ms;
   const double v0 = thread_cpu_ms();
   for (const auto& v : votes) {
      const double t = thread_cpu_ms();
      auto k = core::bls::public_key::from_bytes(v.finalizer_key.data);
      auto s = core::bls::signature::from_bytes(v.sig.data);
      if (!k || !s || !core::bls::verify(*k, digest.data, *s))
         fmt::print("bad vote in the set\n");
      verify_ms.push_back(thread_cpu_ms() - t);
   }
   const double verify_total = thread_cpu_ms() - v0;
   // One hop: a vote arrives from peer 1, is checked and relayed to the 9 others (frames queued).
   std::vector<double> hop_ms, hop_cpu_ms;
   std::size_t relayed = 0;
   const double h0 = thread_cpu_ms();
   for (const auto& v : votes) {
      const auto w = steady::now();
      const double c = thread_cpu_ms();
      node.eng->on_message(node.peers[0], core::net_message{v}, node.clock.now());
      auto acts = node.eng->take_actions();
      hop_cpu_ms.push_back(thread_cpu_ms() - c);
      hop_ms.push_back(std::chrono::duration<double, std::milli>(steady::now() - w).count());
      for (const auto& a : acts)
         relayed += std::holds_alternative<core::send_frame>(a);
   }
   const double hop_total = thread_cpu_ms() - h0;
   const auto hop = stats_of(hop_ms), hop_cpu = stats_of(hop_cpu_ms), ver = stats_of(verify_ms);
   fmt::print("\nvotes: {} distinct strong votes of {} finalizers, each relayed to 9 peers at 1216 ({} frames queued)\n",
              votes.size(), finalizers, relayed);
   fmt::print("  relay latency per hop (receive -> checked -> relay frames queued), wall: median {:.3f} ms, p90 {:.3f} ms, "
              "min {:.3f} ms (target median <= 1 ms)\n",
              hop.median, hop.p90, hop.min);
   fmt::print("  same, CPU time of the thread: median {:.3f} ms, min {:.3f} ms\n", hop_cpu.median, hop_cpu.min);
   fmt::print("  BLS verification alone (decode key + signature, verify): median {:.3f} ms, min {:.3f} ms\n", ver.median,
              ver.min);
   fmt::print("  votes per second on one core: {:.0f} received, checked and relayed; bound (verification alone) {:.0f}; "
              "ratio {:.2f}\n",
              1e3 * double(votes.size()) / hop_total, 1e3 * double(votes.size()) / verify_total,
              verify_total / hop_total);

   // ---- nack / notice -------------------------------------------------------------------------
   // 10 peers in a full mesh: every block reaches every peer from elsewhere too, so a peer that
   // is relayed a block it has nacks it (Spring). The node relays 100 blocks of 1 MB.
   constexpr std::size_t blocks = 100, block_bytes = 1u << 20;
   fmt::print("\nnack/notice: {} blocks of {} bytes relayed by a node with 10 peers at 1216; every peer already has\n"
              "each block from another path (full mesh) and nacks it when the node sends it\n",
              blocks, block_bytes);
   for (bool disabled : {true, false}) {
      bench_node n(3, 10, disabled);
      uint64_t sent = 0, block_frames = 0, notice_frames = 0;
      for (std::size_t i = 0; i < blocks; ++i) {
         core::signed_block b;
         b.previous = n.chain.head_id();
         b.timestamp = core::block_timestamp{b.block_num()};
         b.producer = core::name(core::name::string_to_value("prodb"));
         b.block_extensions.push_back({uint16_t(0x7fff), std::vector<char>(block_bytes, char(i))});
         const auto id = b.calculate_id();
         // It arrives from peer 1; the node relays it to the others (or notices).
         n.eng->on_message(n.peers[0], core::net_message{b}, n.clock.now());
         for (auto& a : n.eng->take_actions())
            if (auto* s = std::get_if<core::send_frame>(&a)) {
               sent += s->frame->size();
               block_frames += s->which == core::message_index_v<core::signed_block>;
               notice_frames += s->which == core::message_index_v<core::block_notice_message>;
            }
         // Each other peer got it from elsewhere too: it nacks (a peer at 1216 does).
         for (std::size_t p = 1; p < n.peers.size(); ++p)
            n.eng->on_message(n.peers[p], core::net_message{core::block_nack_message{id}}, n.clock.now());
         for (auto& a : n.eng->take_actions())
            if (auto* s = std::get_if<core::send_frame>(&a))
               sent += s->frame->size();
         n.clock.advance(500ms);
      }
      fmt::print("  {:<28} {:>12} bytes sent ({} block frames, {} notices)\n",
                 disabled ? "p2p-disable-block-nack=true" : "nack/notice (default)", sent, block_frames, notice_frames);
   }
   fmt::print("\npeak memory (VmHWM): {}\n", bench::proc_status("VmHWM:"));
}
