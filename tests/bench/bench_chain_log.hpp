#pragma once
// Generated chains shared by the benchmarks: a nodeos blocks.log of signed-transaction blocks from
// the devnet genesis (producer eosio, the development key, consecutive slots from the genesis
// time), cached in the temp directory keyed by its parameters. Used by bench_replay and
// bench_net_sync; replay_log is bench_replay's offline replay.
#include "blocklog/nodeos_block_log.hpp"
#include "blocklog/nodeos_block_log_writer.hpp"
#include "chain/replay.hpp"
#include "codec/codec.hpp"

#include "../unit/chain/signed_chain_builder.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace bench {

using bench_clock = std::chrono::steady_clock;

inline double seconds_since(bench_clock::time_point t) {
   return std::chrono::duration<double>(bench_clock::now() - t).count();
}

/// Builds (once) a log of `blocks` blocks after genesis with `trx` signed transactions each and
/// returns its directory (blocks.log + blocks.index).
inline std::filesystem::path cached_log(uint32_t blocks, std::size_t trx, core::recovery_pool& pool) {
   using namespace core;
   const auto dir = std::filesystem::temp_directory_path() / fmt::format("bench_replay-v1-{}b-{}t", blocks, trx);
   if (std::filesystem::exists(dir / "blocks.log"))
      return dir;
   std::filesystem::create_directories(dir);
   chain_test::signed_chain_builder c;
   auto w = nodeos_block_log_writer::create(dir, 1, c.genesis());
   if (!w)
      throw std::runtime_error(w.error());
   auto g = c.genesis().genesis_block();
   if (auto r = w->append(pack(g)); !r)
      throw std::runtime_error(r.error());
   const auto start = bench_clock::now();
   for (uint32_t i = 0; i < blocks; ++i) {
      auto b = c.next_block(trx, &pool);
      if (auto r = w->append(pack(b)); !r)
         throw std::runtime_error(r.error());
      if (i % 5000 == 4999)
         fmt::print(stderr, "generating {}: {} / {} blocks, {:.0f} s\n", dir.string(), i + 1, blocks, seconds_since(start));
   }
   if (auto r = w->commit(); !r)
      throw std::runtime_error(r.error());
   return dir;
}

/// As blockdump verify: drops mapped log pages already replayed (32 MB steps) to bound RSS.
inline void release_consumed(const uint8_t* base, uint64_t offset, uint64_t& released) {
   constexpr uint64_t step_bytes = 32u << 20;
   if (offset - released < step_bytes)
      return;
   const uint64_t end = offset / uint64_t(::sysconf(_SC_PAGESIZE)) * uint64_t(::sysconf(_SC_PAGESIZE));
   ::madvise(const_cast<uint8_t*>(base) + released, end - released, MADV_DONTNEED);
   released = end;
}

struct replay_figures {
   uint32_t accepted = 0; ///< blocks after the genesis block that validated
   double seconds = 0;
   std::string error;     ///< the first failure, empty when none
   uint32_t qcs_verified = 0; ///< Savanna: QCs whose aggregate signature verified
   uint32_t head = 0;     ///< the last accepted block
   uint32_t lib = 0;      ///< the LIB its state implies
};

/// Offline replay of a log from its genesis: decode on this thread, header + body validation
/// through core::chain_replayer, signature recovery on `pool` (no store, no fork database).
/// With `savanna_action_mroot` (chain/action_mroot.hpp's projection for chains produced here), the
/// finality tree is kept and every Savanna block's finality mroot checked.
inline replay_figures replay_log(
   const core::nodeos_block_log& log, core::recovery_pool& pool,
   std::function<std::optional<core::checksum256>(const core::signed_block&)> savanna_action_mroot = nullptr) {
   using namespace core;
   replay_figures out;
   const auto genesis = *log.genesis();
   const auto chain_id = log.chain_id();
   const auto t = bench_clock::now();
   auto cur = log.begin();
   auto e = cur.next();
   auto b1 = log.decode(**e);
   auto start = block_header_state::genesis(genesis);
   start.header = *b1;
   replay_config cfg{chain_id, genesis.initial_configuration, 0, std::move(savanna_action_mroot)};
   chain_replayer r(start, cfg, pool, [&](const replayed_block& rb) {
      if (!rb.error.empty()) {
         if (out.error.empty())
            out.error = fmt::format("block {}: {}", rb.block->block_num(), rb.error);
         return;
      }
      out.qcs_verified += rb.qc_verified;
      if (++out.accepted % 20'000 == 0)
         fmt::print(stderr, "replay: {} blocks\n", out.accepted);
   });
   uint64_t released = 0;
   for (;;) {
      auto n = cur.next();
      if (!n || !n->has_value())
         break;
      auto b = log.decode(**n);
      release_consumed((*n)->bytes.data() - (*n)->offset, (*n)->offset, released);
      if (!b || !r.push(std::make_shared<const signed_block>(std::move(*b))))
         break;
   }
   r.finish();
   out.seconds = seconds_since(t);
   out.head = r.head().block_num;
   out.lib = r.head().irreversible_blocknum();
   return out;
}

} // namespace bench
