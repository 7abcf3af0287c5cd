#include "node/store_replay.hpp"

#include "chain/block_lookahead.hpp"
#include "chain/controller.hpp"
#include "node/node_clock.hpp"
#include "store/rocksdb_chain_store.hpp"
#include "store/store_lock.hpp"

#include <algorithm>
#include <chrono>
#include <string>

namespace core {

namespace {

std::filesystem::path source_path(const std::filesystem::path& path) { return std::filesystem::path(path.string() + ".replay"); }

/// Blocks the replay keeps recovering ahead of the one being applied.
constexpr std::size_t replay_lookahead = 128;

/// Accepts every block of `src` into a new store at `path`; the caller restores on failure.
result<replay_result> rebuild(const std::filesystem::path& path, const rocksdb_chain_store& src,
                              const std::optional<genesis_state>& genesis, node_log& log, const net_clock& time) {
   const net_time started = time.now();
   auto meta = src.metadata();
   if (!meta)
      return unexpected{std::string("the store to replay holds no chain")};
   if (genesis && genesis->compute_chain_id() != meta->chain_id)
      return unexpected{fmt::format("the store holds chain {} but the genesis given is for chain {}",
                                    meta->chain_id.to_string(), genesis->compute_chain_id().to_string())};
   if (src.first_block_num() != 1)
      return unexpected{fmt::format("the store starts at block {}; a replay needs every block from 1", src.first_block_num())};

   auto dst = rocksdb_chain_store::open(path, store_options{});
   if (!dst)
      return unexpected{dst.error()};
   const node_chain_clock clock(time);
   controller_config cc;
   cc.genesis = meta->genesis;
   cc.reject_future_blocks = false;
   cc.lib_commit_interval = std::chrono::milliseconds(250);
   controller chain(**dst, clock, cc);
   if (auto r = chain.open(); !r)
      return unexpected{r.error()};
   auto first = src.block_by_num(1);
   if (!first || first->calculate_id() != chain.head()->id())
      return unexpected{std::string("block 1 of the store is not the genesis block of its chain")};

   replay_result out;
   std::string failure;
   block_lookahead ahead(chain, replay_lookahead, [&](std::shared_ptr<const signed_block> b) {
      if (!failure.empty())
         return;
      auto r = chain.accept_block(b);
      if (r.status == block_status::applied || r.status == block_status::forked)
         ++out.blocks;
      else
         failure = fmt::format("block {} {}: {}{}", b->block_num(), b->calculate_id().to_string(), to_string(r.status),
                               r.error.empty() ? "" : ": " + r.error);
   });
   const uint32_t last = src.lib_num();
   net_time report_at = started + std::chrono::seconds(5);
   for (uint32_t n = 2; n <= last && failure.empty(); ++n) {
      auto b = src.block_by_num(n);
      if (!b)
         return unexpected{fmt::format("the store lacks irreversible block {} (of {})", n, last)};
      ahead.offer(std::move(b));
      if (const auto now = time.now(); now >= report_at) {
         const double s = std::chrono::duration<double>(now - started).count();
         log.info("replay", "block {} of {} ({:.0f} blocks/s)", n, last, n / s);
         report_at = now + std::chrono::seconds(5);
      }
   }
   // Then the reversible blocks, parents first; any that no longer link are dropped as on open.
   auto rev = src.load_reversible();
   std::sort(rev.begin(), rev.end(), [](const auto& a, const auto& b) { return a->block_num() < b->block_num(); });
   ahead.drain();
   for (const auto& b : rev)
      if (failure.empty() && b->block_num() > last)
         if (auto r = chain.accept_block(b->block); r.status == block_status::applied || r.status == block_status::forked)
            ++out.blocks;
   if (!failure.empty())
      return unexpected{std::move(failure)};
   if (chain.head()->block_num() < last)
      return unexpected{fmt::format("the replayed chain reaches block {} only; the store had {} irreversible",
                                    chain.head()->block_num(), last)};
   // What was irreversible stays so, even where the reversible blocks that confirmed it were lost.
   if (auto m = chain.mark_irreversible_through(last); !m)
      return unexpected{m.error()};
   if (auto f = chain.flush_lib(); !f)
      return unexpected{f.error()};
   out.head = chain.head()->block_num();
   out.lib = chain.last_irreversible_block_num();
   out.seconds = std::chrono::duration<double>(time.now() - started).count();
   return out;
}

} // namespace

std::optional<std::filesystem::path> replay_leftover(const std::filesystem::path& path) {
   auto src = source_path(path);
   std::error_code ec;
   if (std::filesystem::exists(src, ec))
      return src;
   return std::nullopt;
}

result<replay_result> replay_store(const std::filesystem::path& path, const std::optional<genesis_state>& genesis,
                                   node_log& log, const net_clock* clock) {
   const auto src_path = source_path(path);
   const auto parent = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
   std::error_code ec;
   if (std::filesystem::exists(src_path, ec)) {
      // An interrupted replay: its source is complete, what it built is not.
      log.warn("replay", "resuming an interrupted replay from {}", src_path.string());
      std::filesystem::remove_all(path, ec);
      if (ec)
         return unexpected{fmt::format("remove the partial replay {}: {}", path.string(), ec.message())};
   } else {
      if (!std::filesystem::exists(path / "CURRENT", ec))
         return unexpected{fmt::format("nothing to replay: no store at {}", path.string())};
      // A store a running node holds is refused here, before it is moved from under that node.
      if (auto pid = store_lock_holder(path))
         return unexpected{fmt::format("store {}: in use by another process{}", path.string(),
                                       *pid > 0 ? fmt::format(" (pid {})", *pid) : std::string())};
      std::filesystem::rename(path, src_path, ec);
      if (ec)
         return unexpected{fmt::format("move {} aside: {}", path.string(), ec.message())};
      if (auto r = sync_directory(parent); !r)
         return unexpected{r.error()};
   }
   std::filesystem::remove_all(std::filesystem::path(path.string() + ".new"), ec); // a creation cut short

   result<replay_result> out = unexpected{std::string()};
   {
      // Salvage: a store whose write-ahead log is damaged replays what precedes the damage.
      store_options so;
      so.mode = store_open_mode::read_only;
      so.salvage = true;
      auto src = rocksdb_chain_store::open(src_path, so);
      if (!src) {
         out = unexpected{src.error()};
      } else {
         if (!(*src)->salvage_note().empty())
            log.warn("replay", "{}: {}; those blocks are synced again from peers", src_path.string(),
                     (*src)->salvage_note());
         log.info("replay", "replaying blocks 1..{} of {} with full validation", (*src)->lib_num(), src_path.string());
         const system_net_clock system;
         out = rebuild(path, **src, genesis, log, clock ? *clock : system);
      }
   }
   if (!out) {
      // Put the source back where it was: the failed replay loses nothing.
      std::filesystem::remove_all(path, ec);
      std::filesystem::remove_all(std::filesystem::path(path.string() + ".new"), ec);
      std::error_code ec2;
      std::filesystem::rename(src_path, path, ec2);
      if (ec2)
         return unexpected{fmt::format("{} (and the original store stays at {}: {})", out.error(), src_path.string(),
                                       ec2.message())};
      (void)sync_directory(parent);
      return unexpected{fmt::format("replay failed, the store is unchanged: {}", out.error())};
   }
   std::filesystem::remove_all(src_path, ec);
   if (ec)
      log.warn("replay", "could not remove the replayed source {}: {}", src_path.string(), ec.message());
   (void)sync_directory(parent);
   log.info("replay", "replayed {} blocks in {:.1f} s ({:.0f} blocks/s): head {} lib {}", out->blocks, out->seconds,
            out->seconds > 0 ? out->blocks / out->seconds : 0.0, out->head, out->lib);
   return out;
}

} // namespace core
