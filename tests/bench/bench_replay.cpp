// Replay throughput against the signature-recovery bound, measured in the same run:
//   single-thread and pool recoveries/s, bound = cores × single-thread rate ÷ signatures per
//   block, chain_replayer blocks/s over a nodeos blocks.log of signed blocks, peak RSS, and
//   `blockdump print` of an empty-block log to /dev/null.
// Generated logs are cached in /tmp keyed by their parameters.
// Usage: bench_replay [--blocks N] [--trx N] [--empty-blocks N]
#include "blocklog/nodeos_block_log.hpp"
#include "chain/replay.hpp"
#include "codec/codec.hpp"
#include "crypto/recover.hpp"

#include "bench_chain_log.hpp"
#include "bench_support.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <sys/mman.h>
#include <unistd.h>

using namespace core;
using clk = std::chrono::steady_clock;
using bench::cached_log;
using bench::load_average;
using bench::proc_status;
using bench::seconds_since;

int main(int argc, char** argv) {
   bench::require_numeric_options(argc, argv, {"--blocks", "--trx", "--empty-blocks"},
                                  "bench_replay [--blocks N] [--trx N] [--empty-blocks N]");
   const auto blocks = uint32_t(bench::option_value(argc, argv, "--blocks", 100'000));
   const auto trx = std::size_t(bench::option_value(argc, argv, "--trx", 10));
   const auto empty_blocks = uint32_t(bench::option_value(argc, argv, "--empty-blocks", 100'000));
   const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
   recovery_pool pool(0);
   fmt::print("load average (start)   {}\n", load_average());
   fmt::print("cores                  {}\n", cores);

   const auto dir = cached_log(blocks, trx, pool);
   auto log = nodeos_block_log::open(dir / "blocks.log");
   if (!log) {
      fmt::print(stderr, "{}\n", log.error());
      return 1;
   }
   const auto genesis = *log->genesis();
   const auto chain_id = log->chain_id();

   // Signature sample from the log's first blocks.
   std::vector<signed_block> sample_blocks;
   std::vector<recovery_request> sample;
   {
      auto cur = log->begin();
      while (sample_blocks.size() < 400) {
         auto e = cur.next();
         if (!e || !e->has_value())
            break;
         sample_blocks.push_back(*log->decode(**e));
      }
      for (const auto& b : sample_blocks) {
         auto r = block_signature_requests(b, chain_id);
         sample.insert(sample.end(), r.begin(), r.end());
      }
   }
   double single_rate = 0, pool_rate = 0;
   if (!sample.empty()) {
      auto t = clk::now();
      std::size_t n = 0;
      while (seconds_since(t) < 1.0)
         for (const auto& r : sample)
            n += recover_key(*r.sig, r.digest).has_value() ? 1 : 0;
      single_rate = double(n) / seconds_since(t);
      t = clk::now();
      n = 0;
      while (seconds_since(t) < 1.0) {
         auto keys = pool.recover(sample);
         n += keys.size();
      }
      pool_rate = double(n) / seconds_since(t);
   }
   const double bound = trx ? cores * single_rate / double(trx) : 0;
   fmt::print("recoveries/s 1 thread  {:.0f}\n", single_rate);
   fmt::print("recoveries/s pool      {:.0f} ({} workers + caller)\n", pool_rate, pool.size());
   fmt::print("bound blocks/s         {:.0f} (cores x 1-thread rate / {} trx sigs; producer sig not counted)\n", bound, trx);

   // Replay: decode on this thread, header + body through chain_replayer, recovery on the pool.
   const auto rp = bench::replay_log(*log, pool);
   const uint32_t accepted = rp.accepted;
   const std::string& error = rp.error;
   const double replay_s = rp.seconds;
   const double rate = accepted / replay_s;
   fmt::print("replay blocks          {} in {:.2f} s{}\n", accepted, replay_s, error.empty() ? "" : " FAILED " + error);
   fmt::print("replay blocks/s        {:.0f}\n", rate);
   fmt::print("replay sigs/s          {:.0f} (incl. producer sig)\n", rate * double(trx + 1));
   fmt::print("ratio to bound         {:.3f}\n", bound > 0 ? rate / bound : 0.0);
   fmt::print("peak RSS (VmHWM)       {}\n", proc_status("VmHWM:"));

#ifdef BLOCKDUMP_BINARY
   const auto empty_dir = cached_log(empty_blocks, 0, pool);
   const auto cmd = fmt::format("{} print --blocks-dir {} > /dev/null", BLOCKDUMP_BINARY, empty_dir.string());
   const auto tp = clk::now();
   const int rc = std::system(cmd.c_str());
   const double print_s = seconds_since(tp);
   fmt::print("blockdump print        {} empty blocks in {:.2f} s = {:.0f} blocks/s (rc {})\n", empty_blocks + 1,
              print_s, (empty_blocks + 1) / print_s, rc);
#endif
   fmt::print("load average (end)     {}\n", load_average());
   return error.empty() ? 0 : 1;
}
