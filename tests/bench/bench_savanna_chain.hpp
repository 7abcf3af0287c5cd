#pragma once
// The Savanna chain the benchmarks share (bench_savanna_replay, bench_net_sync --savanna): a
// devnet switched to Savanna at block 3 with 21 finalizers, every proper block carrying a
// strong QC on its parent (so every block's QC is verified), and `trx` signed transactions per
// block; produced by the controller in virtual time with the action mroots projected
// (chain/action_mroot.hpp: a node replaying it needs --project-action-mroots), cached in the
// temp directory keyed by its parameters and generated in a child process (its memory is not
// the caller's).
#include "blocklog/nodeos_block_log_writer.hpp"
#include "chain/controller.hpp"
#include "codec/codec.hpp"
#include "crypto/bls/private_key.hpp"

#include "bench_chain_log.hpp"
#include "support/test_keys.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace bench {

inline constexpr std::size_t finalizer_count = 21;

/// Finalizer i's secret is the scalar i + 1, so the 21 secrets sum to 231: the aggregate of all
/// 21 strong votes on a digest is one signature by the key 231 (a benchmark shortcut that makes
/// generation 21 times cheaper; the QC it yields is exactly the one 21 votes would aggregate to).
inline core::bls::private_key scalar_key(uint32_t v) {
   using namespace core;
   std::array<uint8_t, 32> b{};
   for (int i = 0; i < 4; ++i)
      b[i] = uint8_t(v >> (8 * i));
   auto k = bls::private_key::from_bytes(b);
   if (!k)
      throw std::runtime_error("bad scalar key");
   return *k;
}

inline core::finalizer_policy benchmark_policy() {
   using namespace core;
   finalizer_policy p;
   for (uint32_t i = 0; i < finalizer_count; ++i)
      p.finalizers.push_back({fmt::format("fin.{}", i), 1, scalar_key(i + 1).get_public_key()});
   p.threshold = finalizer_count * 2 / 3 + 1;
   return p;
}

/// The strong QC all finalizers' votes on `b` aggregate to.
inline core::quorum_certificate full_strong_qc(const core::block_state& b, const core::bls::private_key& sum_key) {
   using namespace core;
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
inline void generate_savanna_chain(const std::filesystem::path& dir, uint32_t blocks, std::size_t trx) {
   using namespace core;
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

/// The chain's directory (blocks.log, blocks.index), generated first when not cached. Forks:
/// call it before any thread starts.
inline std::filesystem::path cached_savanna_chain(uint32_t blocks, std::size_t trx) {
   const auto dir = std::filesystem::temp_directory_path() / fmt::format("bench_savanna-v1-{}b-{}t", blocks, trx);
   if (std::filesystem::exists(dir / "complete"))
      return dir;
   std::filesystem::remove_all(dir);
   std::fflush(stdout);
   const pid_t pid = ::fork();
   if (pid == 0) {
      try {
         generate_savanna_chain(dir, blocks, trx);
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

} // namespace bench
