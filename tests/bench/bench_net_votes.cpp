// Prints the figures of Savanna votes and block nack/notice in the protocol engine (one thread,
// virtual time, no sockets): the per-hop relay latency of a vote including its BLS verification,
// votes verified and relayed per second on one core against BLS verification alone (the bound),
// and the bytes a node sends relaying 1 MB blocks to 10 peers with and without nack/notice.
// The chain is the engine tests' fake chain; its process_vote runs the controller's own vote
// path: the block's aggregating_qc (the 21-key policy) with the controller's prepared digests
// (chain/vote_digests.hpp), which decodes the signature, checks it against the block's digest
// and adds it. Only the fork database lookup is left out. Not a test: nothing here asserts.
#include "bench_support.hpp"

#include "chain/aggregating_qc.hpp"
#include "chain/vote_digests.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"
#include "net/engine.hpp"
#include "support/fake_engine_chain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
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
   auto policy = std::make_shared<core::finalizer_policy>();
   policy->threshold = finalizers * 2 / 3 + 1;
   for (std::size_t i = 0; i < finalizers; ++i)
      policy->finalizers.push_back({fmt::format("finalizer{}", i), 1, pubs[i]});
   // Distinct votes: each finalizer on each of many blocks, each block with its own digest and
   // its own aggregating_qc, as the fork database keeps them.
   constexpr std::size_t rounds = 12;
   std::vector<core::vote_message> votes;
   std::map<core::block_id_type, std::pair<core::checksum256, std::unique_ptr<core::aggregating_qc>>> voted;
   for (std::size_t r = 0; r < rounds; ++r) {
      const auto id = core::make_block_id(filled(uint8_t(r + 1)), uint32_t(100 + r));
      const auto digest = filled(uint8_t(0xd0 + r)); // the block's finality digest
      voted[id] = {digest, std::make_unique<core::aggregating_qc>(policy, nullptr)};
      for (std::size_t i = 0; i < finalizers; ++i) {
         core::vote_message v;
         v.block_id = id;
         v.strong = true;
         v.finalizer_key.data = pubs[i].bytes();
         v.sig.data = keys[i].sign(digest.data).bytes();
         votes.push_back(v);
      }
   }
   bench_node node(10, 10);
   core::vote_digests digests;
   node.chain.vote_verdict = [&](const core::vote_message& v) {
      auto& [digest, agg] = voted.at(v.block_id);
      return agg->aggregate_vote(v, digest, &digests).status;
   };
   // Verification alone: the bound.
   std::vector<double> verify_ms;
   const double v0 = thread_cpu_ms();
   // As the controller checks a vote: the key decoded once with the policy, the signature
   // decoded off the wire, the digest prepared once per block.
   core::vote_digests bound_digests;
   for (std::size_t n = 0; n < votes.size(); ++n) {
      const auto& v = votes[n];
      const double t = thread_cpu_ms();
      auto s = core::bls::signature::from_bytes(v.sig.data);
      if (!s || !core::bls::verify(pubs[n % finalizers], bound_digests.get(voted.at(v.block_id).first.data), *s))
         fmt::print("bad vote in the set\n");
      verify_ms.push_back(thread_cpu_ms() - t);
   }
   const double verify_total = thread_cpu_ms() - v0;
   // For reference: each vote on its own (decode the key and the signature, hash, verify).
   std::vector<double> unprepared_ms;
   for (std::size_t n = 0; n < finalizers * 2; ++n) {
      const auto& v = votes[n];
      const double t = thread_cpu_ms();
      auto k = core::bls::public_key::from_bytes(v.finalizer_key.data);
      auto s = core::bls::signature::from_bytes(v.sig.data);
      if (!k || !s || !core::bls::verify(*k, voted.at(v.block_id).first.data, *s))
         fmt::print("bad vote in the set\n");
      unprepared_ms.push_back(thread_cpu_ms() - t);
   }
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
   const auto hop = stats_of(hop_ms), hop_cpu = stats_of(hop_cpu_ms), ver = stats_of(verify_ms),
              unprepared = stats_of(unprepared_ms);
   fmt::print("\nvotes: {} distinct strong votes of {} finalizers, each relayed to 9 peers at 1216 ({} frames queued)\n",
              votes.size(), finalizers, relayed);
   fmt::print("  relay latency per hop (receive -> checked -> relay frames queued), wall: median {:.3f} ms, p90 {:.3f} ms, "
              "min {:.3f} ms (target median <= 1 ms)\n",
              hop.median, hop.p90, hop.min);
   fmt::print("  same, CPU time of the thread: median {:.3f} ms, min {:.3f} ms\n", hop_cpu.median, hop_cpu.min);
   fmt::print("  BLS verification alone (decode the signature, verify against the prepared digest): median {:.3f} ms, "
              "min {:.3f} ms\n",
              ver.median, ver.min);
   fmt::print("  for reference, a vote checked on its own (decode key + signature, hash the digest, verify): "
              "median {:.3f} ms, min {:.3f} ms\n",
              unprepared.median, unprepared.min);
   fmt::print("  digests prepared: {} for {} blocks (one per block: the first vote pays for it)\n", digests.prepared(),
              rounds);
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
