// Replay of a Savanna chain produced here against its bound, measured in the same run:
//   - the chain: a devnet switched to Savanna with 21 finalizers, every proper block carrying a
//     strong QC on its parent (so every block's QC is verified), and `trx` signed transactions
//     per block; produced by the controller in virtual time, cached in /tmp keyed by its
//     parameters (generated in a child process, so its memory is not counted below);
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
#include "blocklog/nodeos_block_log_writer.hpp"
#include "chain/action_mroot.hpp"
#include "chain/controller.hpp"
#include "chain/qc_verification.hpp"
#include "chain/replay.hpp"
#include "codec/codec.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/recover.hpp"

#include "bench_chain_log.hpp"
#include "bench_support.hpp"
#include "support/test_keys.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace core;
using bench::bench_clock;
using bench::load_average;
using bench::proc_status;
using bench::seconds_since;

namespace {

constexpr std::size_t finalizer_count = 21;

/// Finalizer i's secret is the scalar i + 1, so the 21 secrets sum to 231: the aggregate of all
/// 21 strong votes on a digest is one signature by the key 231 (a benchmark shortcut that makes
/// generation 21 times cheaper; the QC it yields is exactly the one 21 votes would aggregate to).
bls::private_key scalar_key(uint32_t v) {
   std::array<uint8_t, 32> b{};
   for (int i = 0; i < 4; ++i)
      b[i] = uint8_t(v >> (8 * i));
   auto k = bls::private_key::from_bytes(b);
   if (!k)
      throw std::runtime_error("bad scalar key");
   return *k;
}

finalizer_policy benchmark_policy() {
   finalizer_policy p;
   for (uint32_t i = 0; i < finalizer_count; ++i)
      p.finalizers.push_back({fmt::format("fin.{}", i), 1, scalar_key(i + 1).get_public_key()});
   p.threshold = finalizer_count * 2 / 3 + 1;
   return p;
}

/// The strong QC all finalizers' votes on `b` aggregate to.
quorum_certificate full_strong_qc(const block_state& b, const bls::private_key& sum_key) {
   quorum_certificate qc;
   qc.block_num = b.block_num();
   vote_bitset all(finalizer_count);
   for (std::size_t i = 0; i < finalizer_count; ++i)
      all.set(i);
   qc.active_policy_sig.strong_votes = all;
   qc.active_policy_sig.sig.data = sum_key.sign(b.bhs.savanna->finality_digest.data).bytes();
   return qc;
}

/// Produces the chain into `dir` (run in a child process).
void generate(const std::filesystem::path& dir, uint32_t blocks, std::size_t trx) {
   std::filesystem::create_directories(dir);
   memory_chain_store store;
   const auto genesis = test::dev_genesis();
   manual_chain_clock clock{genesis.initial_timestamp};
   controller_config cfg;
   cfg.genesis = genesis;
   cfg.project_action_mroots = true;
   controller chain(store, clock, cfg);
   if (auto r = chain.open(); !r)
      throw std::runtime_error(r.error());
   auto w = nodeos_block_log_writer::create(dir, 1, genesis);
   if (!w)
      throw std::runtime_error(w.error());
   auto append = [&](const signed_block& b) {
      if (auto r = w->append(pack(b)); !r)
         throw std::runtime_error(r.error());
   };
   append(*chain.fetch_block_by_number(1));
   const auto key = test::dev_key();
   std::vector<private_key> trx_keys;
   for (int i = 0; i < 3; ++i)
      trx_keys.push_back(test::key_for(fmt::format("trx-key-{}", i)));
   const auto sum_key = scalar_key(uint32_t(finalizer_count * (finalizer_count + 1) / 2));
   const auto policy = benchmark_policy();
   const auto start = bench_clock::now();
   for (uint32_t i = 0; chain.head()->block_num() < blocks + 1; ++i) {
      const auto& head = chain.head();
      // `trx` transfers referencing the head, signed by rotating keys.
      std::vector<std::shared_ptr<const packed_transaction>> trxs;
      const auto when = block_timestamp{head->timestamp().slot + 1};
      for (std::size_t t = 0; t < trx; ++t) {
         transaction x;
         x.expiration.secs = uint32_t(when.to_time_point().us / 1'000'000) + 60;
         x.ref_block_num = uint16_t(head->block_num());
         x.ref_block_prefix = ref_block_prefix(head->id());
         action a;
         a.account = "eosio.token"_n;
         a.name = "transfer"_n;
         a.authorization.push_back({"alice"_n, "active"_n});
         const auto memo = fmt::format("b{}t{}", head->block_num() + 1, t);
         a.data.assign(memo.begin(), memo.end());
         x.actions.push_back(std::move(a));
         const auto digest = packed_transaction::make(x, {}, {}).sig_digest(chain.chain_id());
         trxs.push_back(std::make_shared<const packed_transaction>(
            packed_transaction::make(x, {trx_keys[t % trx_keys.size()].sign(digest)}, {})));
      }
      for (const auto& r : chain.push_transactions(trxs))
         if (!r.error.empty())
            throw std::runtime_error("push_transaction: " + r.error);
      controller::produce_options o;
      o.producer = "eosio"_n;
      o.when = when;
      o.max_transactions = trx;
      if (i == 2)
         o.activate_savanna = policy;
      clock.set(when.to_time_point());
      auto b = chain.produce_block(o, key);
      if (!b)
         throw std::runtime_error(b.error());
      append(*(*b)->block);
      if ((*b)->is_proper_savanna()) // every finalizer votes strong; the next block carries the QC
         (*b)->votes->set_received_qc(full_strong_qc(**b, sum_key));
      if ((*b)->block_num() % 5000 == 0)
         fmt::print(stderr, "generating {}: {} / {} blocks, {:.0f} s\n", dir.string(), (*b)->block_num(), blocks + 1,
                    seconds_since(start));
   }
   if (auto r = w->commit(); !r)
      throw std::runtime_error(r.error());
   std::ofstream(dir / "complete") << "ok\n";
}

std::filesystem::path cached_chain(uint32_t blocks, std::size_t trx) {
   const auto dir = std::filesystem::temp_directory_path() / fmt::format("bench_savanna-v1-{}b-{}t", blocks, trx);
   if (std::filesystem::exists(dir / "complete"))
      return dir;
   std::filesystem::remove_all(dir);
   std::fflush(stdout);
   const pid_t pid = ::fork();
   if (pid == 0) {
      try {
         generate(dir, blocks, trx);
      } catch (const std::exception& e) {
         fmt::print(stderr, "generation failed: {}\n", e.what());
         std::_Exit(1);
      }
      std::_Exit(0);
   }
   int status = 0;
   ::waitpid(pid, &status, 0);
   if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw std::runtime_error("generating the Savanna chain failed");
   return dir;
}

} // namespace

int main(int argc, char** argv) try {
   bench::require_numeric_options(argc, argv, {"--blocks", "--trx"}, "bench_savanna_replay [--blocks N] [--trx N]");
   const auto blocks = uint32_t(bench::option_value(argc, argv, "--blocks", 100'000));
   const auto trx = std::size_t(bench::option_value(argc, argv, "--trx", 10));
   fmt::print("load average (start)   {}\n", load_average());
   const auto dir = cached_chain(blocks, trx); // before any thread starts: it forks
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
