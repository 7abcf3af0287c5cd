// Sync throughput of the networked node against offline replay, measured in the same run
// (both replays are printed: bench_replay's chain_replayer, and blockdump import):
//   a chain of N blocks with T signed transactions each (devnet genesis, dev key, consecutive past
//   slots; bench_replay's cached log), imported with `blockdump import` into a fresh data dir (the
//   offline replay: the same controller with full validation and the same RocksDB store), copied
//   to three source nodes (not producing); a fresh fourth node peering all three is timed from its
//   start until its head = N (status polled every 50 ms).
// A third offline replay is p2pnode --replay-blockchain on a copy of the imported data dir.
// With --savanna the chain is bench_savanna_replay's (bench_savanna_chain.hpp: Savanna from block
// 3, 21 finalizers, a strong QC verified in every block); every node and the chain_replayer then
// check the finality mroots (--project-action-mroots), and the chain_replayer's rate is the
// reference (blockdump import has no projection: it skips that check).
// Usage: bench_net_sync [--quick] [--savanna] [--blocks N] [--trx T] [--sync-fetch-span S]
#include "bench_chain_log.hpp"
#include "bench_savanna_chain.hpp"
#include "chain/action_mroot.hpp"
#include "net_bench_support.hpp"

#include <fmt/format.h>

using namespace bench;

int main(int argc, char** argv) {
   require_numeric_options(argc, argv, {"--blocks", "--trx", "--sync-fetch-span"},
                           "bench_net_sync [--quick] [--savanna] [--blocks N] [--trx T] [--sync-fetch-span S]",
                           {"--quick", "--savanna"});
   const bool quick = has_flag(argc, argv, "--quick");
   const bool savanna = has_flag(argc, argv, "--savanna");
   const auto blocks = uint32_t(option_value(argc, argv, "--blocks", quick ? 5'000 : 100'000));
   const auto trx = std::size_t(option_value(argc, argv, "--trx", 10));
   const auto span = uint32_t(option_value(argc, argv, "--sync-fetch-span", 1000));
   const uint32_t head = blocks + 1; // the genesis block is block 1

   fmt::print("== sync: {} blocks x {} trx{}, 3 source nodes, sync-fetch-span {}{}\n", blocks, trx,
              savanna ? " (Savanna, 21 finalizers, a strong QC per block)" : "", span, quick ? " (quick)" : "");
   fmt::print("load average (start) {}\n", load_average());
   // Every node of a Savanna chain produced here checks its finality mroots.
   const std::vector<std::string> chain_args =
      savanna ? std::vector<std::string>{"--project-action-mroots"} : std::vector<std::string>{};
   const auto with_chain_args = [&](std::vector<std::string> args) {
      args.insert(args.end(), chain_args.begin(), chain_args.end());
      return args;
   };
   // Generated first: the Savanna chain is generated in a child process (no thread may run yet).
   const std::filesystem::path savanna_dir = savanna ? cached_savanna_chain(blocks, trx) : std::filesystem::path();
   std::filesystem::path log_dir;
   double chain_replay_rate = 0;
   {
      core::recovery_pool pool(0);
      log_dir = savanna ? savanna_dir : cached_log(blocks, trx, pool);
      // Offline replay 1: bench_replay's chain_replayer (validation only, no store).
      auto log = core::nodeos_block_log::open(log_dir / "blocks.log");
      if (!log) {
         fmt::print("{}\n", log.error());
         return 1;
      }
      const auto rp = savanna ? replay_log(*log, pool, core::project_savanna_action_mroot) : replay_log(*log, pool);
      chain_replay_rate = rp.accepted / rp.seconds;
      fmt::print("replay (bench_replay's chain_replayer, validation only, no store)  {} blocks in {:.2f} s = {:.0f} blocks/s{}\n",
                 rp.accepted, rp.seconds, chain_replay_rate, rp.error.empty() ? "" : " FAILED " + rp.error);
      if (savanna)
         fmt::print("  {} QCs verified, LIB {} at head {}\n", rp.qcs_verified, rp.lib, rp.head);
      if (!rp.error.empty())
         return 1;
   }
   const auto root = scratch_dir("bench_net_sync");

   // Offline replay 2: blockdump import into a fresh data dir (full validation, RocksDB store).
   const auto src1 = root / "src1";
   const auto t_import = steady::now();
   const int rc = run_to_completion(BLOCKDUMP_BINARY, {"import", "--data-dir", src1.string(), "--blocks-dir",
                                                      log_dir.string()},
                                    root / "import.log");
   const double import_s = seconds_between(t_import, steady::now());
   if (rc != 0) {
      fmt::print("blockdump import failed (rc {}); see {}\n", rc, (root / "import.log").string());
      return 1;
   }
   const double replay_rate = blocks / import_s;
   fmt::print("replay (blockdump import, full validation into RocksDB)  {} blocks in {:.2f} s = {:.0f} blocks/s\n",
              blocks, import_s, replay_rate);
   for (const char* d : {"src2", "src3", "replay"})
      std::filesystem::copy(src1, root / d, std::filesystem::copy_options::recursive);

   // Offline replay 3: p2pnode --replay-blockchain on a copy of that data dir (nodeos's replay:
   // the node rebuilds its store from its own blocks), timed from start until it answers with
   // the whole chain.
   double node_replay_rate = 0;
   {
      node_process rn("replay", root / "replay", free_port());
      rn.start(with_chain_args({"--replay-blockchain"}), span);
      auto ready = rn.wait_ready(std::chrono::seconds(quick ? 120 : 1800)) ? rn.wait_for([&](const node_status& st) { return st.head_num == head; }, 10s)
                                                                          : std::nullopt;
      if (!ready) {
         fmt::print("p2pnode --replay-blockchain did not come up with head {}\n", head);
         print_log_tail(rn, 20);
         return 1;
      }
      const double s = seconds_between(rn.started_at(), *ready);
      node_replay_rate = blocks / s;
      fmt::print("replay (p2pnode --replay-blockchain, full validation into RocksDB)  {} blocks in {:.2f} s = {:.0f} blocks/s\n",
                 blocks, s, node_replay_rate);
      rn.stop();
      std::filesystem::remove_all(root / "replay");
   }

   std::vector<std::unique_ptr<node_process>> sources;
   for (int i = 1; i <= 3; ++i) {
      auto n = std::make_unique<node_process>(fmt::format("src{}", i), root / fmt::format("src{}", i), free_port());
      n->start(chain_args, span);
      sources.push_back(std::move(n));
   }
   for (auto& s : sources)
      if (!s->wait_ready() || !s->wait_for([&](const node_status& st) { return st.head_num == head; }, 20s)) {
         fmt::print("source {} did not come up with head {}\n", s->name(), head);
         print_log_tail(*s);
         return 1;
      }

   node_process fresh("fresh", root / "fresh", free_port());
   std::vector<std::string> peers;
   if (savanna) {
      // The Savanna chain's genesis is not the devnet's: the fresh node is told it.
      auto log = core::nodeos_block_log::open(log_dir / "blocks.log");
      if (!log || !log->genesis()) {
         fmt::print("no genesis in {}\n", (log_dir / "blocks.log").string());
         return 1;
      }
      std::ofstream(root / "genesis.json") << core::to_genesis_json(*log->genesis());
      peers = {"--genesis-json", (root / "genesis.json").string()};
   }
   for (auto& s : sources) {
      peers.push_back("--p2p-peer-address");
      peers.push_back(s->endpoint());
   }
   const auto timeout = std::chrono::seconds(quick ? 120 : 1800);
   fresh.start(with_chain_args(peers), span);
   uint32_t last_head = 0;
   auto last_report = steady::now();
   auto done = fresh.wait_for(
      [&](const node_status& s) {
         last_head = s.head_num;
         if (seconds_between(last_report, steady::now()) > 10) {
            last_report = steady::now();
            fmt::print(stderr, "sync: head {} lib {} {} after {:.0f} s\n", s.head_num, s.lib_num, s.sync_state,
                       seconds_between(fresh.started_at(), steady::now()));
         }
         return s.head_num >= head;
      },
      timeout);
   if (!done) {
      fmt::print("sync did not finish within {} s: head {} of {}\n", timeout.count(), last_head, head);
      print_log_tail(fresh, 20);
      return 1;
   }
   const double sync_s = seconds_between(fresh.started_at(), *done);
   const double sync_rate = blocks / sync_s;
   const double ratio = sync_rate / replay_rate;
   fmt::print("sync (fresh node from 3 peers, start to head {})  {} blocks in {:.2f} s = {:.0f} blocks/s\n", head,
              blocks, sync_s, sync_rate);
   fmt::print("sync / replay ratio  {:.3f} against blockdump import{} (target >= 0.80: {})\n", ratio,
              savanna ? ", which skips the finality mroot check" : "", verdict(ratio >= 0.80));
   const double ratio2 = chain_replay_rate > 0 ? sync_rate / chain_replay_rate : 0;
   fmt::print("sync / replay ratio  {:.3f} against chain_replayer{} (target >= 0.80: {})\n", ratio2,
              savanna ? " (the Savanna figure's reference)" : "", verdict(ratio2 >= 0.80));
   const double ratio3 = node_replay_rate > 0 ? sync_rate / node_replay_rate : 0;
   fmt::print("sync / replay ratio  {:.3f} against p2pnode --replay-blockchain (target >= 0.80: {})\n", ratio3,
              verdict(ratio3 >= 0.80));
   if (auto s = fresh.status())
      fmt::print("fresh node after sync: head {} lib {} {}\n", s->head_num, s->lib_num, s->sync_state);
   print_log_tail(fresh, 10);
   for (auto& s : sources)
      print_log_tail(*s, 5);
   fresh.stop();
   for (auto& s : sources)
      s->stop();
   std::filesystem::remove_all(root);
   fmt::print("load average (end)   {}\n", load_average());
   return 0;
}
