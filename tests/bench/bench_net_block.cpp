// Block propagation per hop: node A (devnet genesis, not producing) with two fake peers P1 and
// P2, both handshaken as current peers. The bench builds the blocks itself (a core::controller
// over a memory store, the devnet genesis, controller::produce_block with the development key,
// T signed transactions per block, consecutive slots ending about now); P1 sends each block to A
// and P2 waits for A's relay before the next is sent. Latency per hop = P2's receive time (last
// byte read) - P1's send time (before the write). Blocks are sent --gap-ms apart (default 50):
// A relays after header validation but then applies the block (signature recovery, fdatasync)
// before it reads the next one, so back-to-back blocks measure that backlog, not the hop.
// Usage: bench_net_block [--quick] [--blocks N] [--trx T]
#include "net_bench_support.hpp"

#include "chain/controller.hpp"
#include "types/devnet.hpp"

#include <fmt/format.h>

using namespace bench;

int main(int argc, char** argv) {
   const bool quick = has_flag(argc, argv, "--quick");
   const auto count = uint32_t(option_value(argc, argv, "--blocks", 200));
   const auto trx = std::size_t(option_value(argc, argv, "--trx", 100));
   // Pause between a relay and the next send, so A has applied (and synced) the previous block
   // as it would between 500 ms slots; --gap-ms 0 measures back-to-back blocks instead.
   const auto gap = std::chrono::milliseconds(option_value(argc, argv, "--gap-ms", 50));
   fmt::print("== block propagation: {} blocks x {} trx, P1 -> A -> P2, {} ms between blocks{}\n", count, trx, gap.count(), quick ? " (quick)" : "");
   fmt::print("load average (start) {}\n", load_average());

   // The chain: block 2 empty (it moves the head from the genesis time to now), then `count`
   // blocks of `trx` transactions each, at consecutive slots ending 10 s ago.
   const auto t_gen = steady::now();
   core::memory_chain_store store;
   core::system_chain_clock clock;
   core::controller_config cc;
   cc.genesis = core::devnet_genesis();
   core::controller chain(store, clock, cc);
   if (auto r = chain.open(); !r) {
      fmt::print("controller: {}\n", r.error());
      return 1;
   }
   const auto key = core::private_key::from_string(core::devnet_private_key_wif).value();
   const auto now_slot = core::block_timestamp::from_time_point(core::time_point::from_system(std::chrono::system_clock::now()));
   const uint32_t first_slot = now_slot.slot - count - 20;
   std::vector<std::shared_ptr<const std::vector<uint8_t>>> frames;
   std::vector<uint32_t> nums;
   for (uint32_t i = 0; i <= count; ++i) {
      const core::block_timestamp when{first_slot + i};
      if (i > 0)
         for (std::size_t k = 0; k < trx; ++k) {
            const auto& h = chain.head();
            const auto exp = core::time_point_sec{uint32_t(when.to_time_point().us / 1'000'000 + 120)};
            auto t = make_signed_transaction(chain.chain_id(), h->block_num(), h->id(), uint64_t(i) * 1'000'000 + k,
                                             key, exp);
            auto r = chain.push_transaction(std::make_shared<const core::packed_transaction>(std::move(t)));
            if (!r.accepted) {
               fmt::print("transaction refused by the bench's own controller: {}\n", r.error);
               return 1;
            }
         }
      core::controller::produce_options o;
      o.producer = core::operator""_n("eosio", 5);
      o.when = when;
      o.max_transactions = trx;
      auto b = chain.produce_block(o, key);
      if (!b) {
         fmt::print("produce_block: {}\n", b.error());
         return 1;
      }
      frames.push_back(std::make_shared<const std::vector<uint8_t>>(core::encode_frame(core::net_message{*(*b)->block})));
      nums.push_back((*b)->block_num());
   }
   fmt::print("built {} blocks in {:.2f} s ({} bytes framed each)\n", frames.size(),
              seconds_between(t_gen, steady::now()), frames.back()->size());

   const auto root = scratch_dir("bench_net_block");
   node_process a("A", root / "A", free_port());
   a.start({});
   if (!a.wait_ready()) {
      fmt::print("node A did not start\n");
      print_log_tail(a);
      return 1;
   }
   const auto s = *a.status();
   auto p1 = connect_current_peer(a.port(), s, "bench-p1");
   auto p2 = connect_current_peer(a.port(), s, "bench-p2");
   std::this_thread::sleep_for(200ms);
   drain(p1);
   drain(p2);

   std::vector<double> latency_ms;
   uint32_t lost = 0;
   std::size_t other_frames = 0;
   for (std::size_t i = 0; i < frames.size(); ++i) {
      const auto sent_at = std::chrono::system_clock::now();
      if (auto r = p1.send_raw(*frames[i]); !r) {
         fmt::print("P1 send failed at block {}: {}\n", nums[i], r.error());
         break;
      }
      bool got = false;
      const auto deadline = steady::now() + 2s;
      while (!got) {
         auto r = p2.receive(deadline);
         if (!r)
            break;
         if (const auto* blk = std::get_if<core::signed_block>(&r->message); blk && blk->block_num() == nums[i]) {
            got = true;
            if (i > 0) // block 2 only moves the head to now
               latency_ms.push_back(std::chrono::duration<double, std::milli>(r->at - sent_at).count());
         } else
            ++other_frames;
      }
      if (!got)
         ++lost;
      drain(p1);
      std::this_thread::sleep_for(gap);
   }
   auto v = latency_ms;
   const double median = quantile(v, 0.5), p90 = quantile(v, 0.9), mx = v.empty() ? 0 : v.back();
   double sum = 0;
   for (double x : latency_ms)
      sum += x;
   fmt::print("relayed              {} of {} blocks ({} not relayed within 2 s), {} other frames at P2\n",
              latency_ms.size(), count, lost, other_frames);
   fmt::print("per-hop latency      median {:.3f} ms, p90 {:.3f} ms, max {:.3f} ms, mean {:.3f} ms (target median <= 2 ms: {})\n",
              median, p90, mx, latency_ms.empty() ? 0 : sum / double(latency_ms.size()), verdict(median <= 2.0));
   if (auto st = a.status())
      fmt::print("node A: head {} lib {} {}\n", st->head_num, st->lib_num, st->sync_state);
   print_log_tail(a, 8);
   p1.close();
   p2.close();
   a.stop();
   std::filesystem::remove_all(root);
   fmt::print("load average (end)   {}\n", load_average());
   return 0;
}
