// Replay of a Savanna chain produced here against its bound, measured in the same run:
//   - the chain: bench_savanna_chain.hpp's (a devnet switched to Savanna with 21 finalizers, every
//     proper block carrying a strong QC on its parent, `trx` signed transactions per block),
//     cached in /tmp and generated in a child process, so its memory is not counted below;
//   - the bound: per block, one QC verification (21 keys summed, one pairing product) plus the
//     signature recoveries (the transactions and the producer's), run on all cores at once for
//     3 s over a sample of the chain's blocks (the issue's "on all cores, measured in the same
//     run"); the single-thread costs and their contention-free product, cores / (QC time +
//     recoveries × recovery time), are printed beside it;
//   - chain_replayer blocks/s over the log (header state, finality core, finality mroot, QC and
//     recoveries on the pool, body checks), the ratio to the bound, and peak RSS.
// Target (issue: Savanna chains): ratio >= 0.8, peak RSS <= 256 MB.
// Usage: bench_savanna_replay [--blocks N] [--trx N]
#include "blocklog/nodeos_block_log.hpp"
#include "chain/action_mroot.hpp"
#include "chain/qc_verification.hpp"
#include "chain/replay.hpp"
#include "codec/codec.hpp"
#include "crypto/recover.hpp"

#include "bench_chain_log.hpp"
#include "bench_savanna_chain.hpp"
#include "bench_support.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <future>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

using namespace core;
using bench::bench_clock;
using bench::finalizer_count;
using bench::load_average;
using bench::proc_status;
using bench::seconds_since;

int main(int argc, char** argv) try {
   bench::require_numeric_options(argc, argv, {"--blocks", "--trx"}, "bench_savanna_replay [--blocks N] [--trx N]");
   const auto blocks = uint32_t(bench::option_value(argc, argv, "--blocks", 100'000));
   const auto trx = std::size_t(bench::option_value(argc, argv, "--trx", 10));
   fmt::print("load average (start)   {}\n", load_average());
   const auto dir = bench::cached_savanna_chain(blocks, trx); // before any thread starts: it forks
   const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
   fmt::print("cores                  {}\n", cores);
   recovery_pool pool(0);
   auto log = nodeos_block_log::open(dir / "blocks.log");
   if (!log)
      throw std::runtime_error(log.error());
   const auto genesis = *log->genesis();
   const auto chain_id = log->chain_id();

   // A sample of proper Savanna blocks with their parents' states (from a replay of the start),
   // for the single-thread costs of the bound.
   std::vector<std::shared_ptr<const signed_block>> sample;
   std::map<uint32_t, std::shared_ptr<const block_header_state>> states;
   {
      auto cur = log->begin();
      auto first = log->decode(**cur.next());
      auto start = block_header_state::genesis(genesis);
      start.header = *first;
      replay_config rc{chain_id, genesis.initial_configuration, 0, project_savanna_action_mroot};
      chain_replayer r(start, rc, pool, [&](const replayed_block& rb) {
         if (rb.state)
            states[rb.block->block_num()] = rb.state;
      });
      for (int n = 0; n < 300; ++n) {
         auto e = cur.next();
         if (!e || !e->has_value())
            break;
         auto b = std::make_shared<const signed_block>(*log->decode(**e));
         if (b->is_proper_savanna() && n > 20)
            sample.push_back(b);
         r.push(b);
      }
      r.finish();
   }
   if (sample.empty())
      throw std::runtime_error("no proper Savanna block in the log");
   // The single-thread costs, for the record.
   std::vector<recovery_request> recoveries;
   for (const auto& b : sample) {
      auto r = block_signature_requests(*b, chain_id);
      recoveries.insert(recoveries.end(), r.begin(), r.end());
   }
   auto t = bench_clock::now();
   std::size_t n = 0;
   while (seconds_since(t) < 1.0)
      for (const auto& r : recoveries)
         n += recover_key(*r.sig, r.digest).has_value() ? 1 : 0;
   const double recovery_s = seconds_since(t) / double(n);
   t = bench_clock::now();
   n = 0;
   std::size_t qc_fail = 0;
   while (seconds_since(t) < 2.0)
      for (const auto& b : sample) {
         auto v = verify_block_qc(*states.at(b->block_num() - 1), *b);
         qc_fail += !v || !*v;
         ++n;
      }
   if (qc_fail)
      throw std::runtime_error("a sample QC did not verify");
   const double qc_s = seconds_since(t) / double(n);
   const double sigs_per_block = double(trx + 1); // transactions + the producer's signature
   const double ideal = cores / (qc_s + sigs_per_block * recovery_s);
   fmt::print("recovery 1 thread      {:.1f} us\n", recovery_s * 1e6);
   fmt::print("QC verify 1 thread     {:.3f} ms ({} finalizers, strong)\n", qc_s * 1e3, finalizer_count);
   fmt::print("ideal blocks/s         {:.0f} (cores x 1 / (QC + {} recoveries), no contention)\n", ideal, trx + 1);

   // The bound: the same per-block work — one QC verification and the block's recoveries —
   // run on every core at once, as the replay runs it.
   const auto bound_work = [&](std::size_t first) {
      std::size_t done = 0;
      for (std::size_t i = first; seconds_since(t) < 3.0; i = (i + 1) % sample.size()) {
         const auto& b = sample[i];
         auto v = verify_block_qc(*states.at(b->block_num() - 1), *b);
         if (!v || !*v)
            throw std::runtime_error("a sample QC did not verify");
         for (const auto& r : block_signature_requests(*b, chain_id))
            if (!recover_key(*r.sig, r.digest))
               throw std::runtime_error("a sample signature did not recover");
         ++done;
      }
      return done;
   };
   std::vector<std::future<std::size_t>> workers;
   t = bench_clock::now();
   for (unsigned c = 0; c < cores; ++c)
      workers.push_back(std::async(std::launch::async, bound_work, c * sample.size() / cores));
   std::size_t bound_blocks = 0;
   for (auto& w : workers)
      bound_blocks += w.get();
   const double bound = double(bound_blocks) / seconds_since(t);
   fmt::print("bound blocks/s         {:.0f} (QC + {} recoveries per block, on {} threads at once; {:.2f} of ideal)\n",
              bound, trx + 1, cores, bound / ideal);

   const auto rp = bench::replay_log(*log, pool, project_savanna_action_mroot);
   const double rate = rp.accepted / rp.seconds;
   fmt::print("replay blocks          {} in {:.2f} s{}\n", rp.accepted, rp.seconds,
              rp.error.empty() ? "" : " FAILED " + rp.error);
   fmt::print("QCs verified           {}\n", rp.qcs_verified);
   fmt::print("LIB at the end         {} (head {})\n", rp.lib, rp.head);
   fmt::print("replay blocks/s        {:.0f}\n", rate);
   fmt::print("ratio to bound         {:.3f} (target >= 0.8)\n", rate / bound);
   fmt::print("peak RSS (VmHWM)       {} (target <= 256 MB)\n", proc_status("VmHWM:"));
   fmt::print("load average (end)     {}\n", load_average());
   return rp.error.empty() ? 0 : 1;
} catch (const std::exception& e) {
   fmt::print(stderr, "bench_savanna_replay: {}\n", e.what());
   return 1;
}
