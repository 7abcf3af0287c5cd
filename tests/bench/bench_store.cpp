// rocksdb_chain_store figures: commit_lib throughput (10-trx blocks, batches of 1 and 100),
// block_by_num read rate, and resident memory after writing 100,000 blocks. Blocks are built
// with correct ids and links but unsigned (the store does not verify signatures).
#include "store/rocksdb_chain_store.hpp"

#include "crypto/sha256.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <unistd.h>

using namespace core;
using clock_type = std::chrono::steady_clock;

namespace {

block_state_ptr next_block(const block_header_state& parent) {
   signed_block b;
   b.timestamp = block_timestamp{parent.header.timestamp.slot + 1};
   b.producer = "eosio"_n;
   b.confirmed = 0;
   b.previous = parent.id;
   for (uint32_t i = 0; i < 10; ++i) {
      transaction_receipt r;
      r.cpu_usage_us = 100 + i;
      r.trx = sha256(fmt::format("trx {} {}", parent.block_num + 1, i));
      b.transactions.push_back(r);
   }
   b.transaction_mroot = b.calculate_transaction_mroot();
   auto bs = std::make_shared<block_state>();
   bs->bhs = parent;
   bs->bhs.header = b;
   bs->bhs.id = b.calculate_id();
   bs->bhs.block_num = b.block_num();
   bs->block = std::make_shared<const signed_block>(std::move(b));
   return bs;
}

std::string vm_rss() {
   std::ifstream f("/proc/self/status");
   for (std::string line; std::getline(f, line);)
      if (line.rfind("VmRSS:", 0) == 0)
         return line.substr(6);
   return "?";
}

/// Commits `count` blocks in batches of `batch`; returns blocks per second.
double commit_blocks(rocksdb_chain_store& s, uint32_t count, uint32_t batch) {
   auto parent = *s.lib_state();
   const auto start = clock_type::now();
   for (uint32_t done = 0; done < count;) {
      lib_commit c;
      for (uint32_t i = 0; i < batch && done < count; ++i, ++done) {
         auto b = next_block(parent);
         for (const auto& t : b->block->transactions)
            c.included_trxs.emplace_back(std::get<transaction_id_type>(t.trx), time_point_sec{b->block_num() + 3600});
         parent = b->bhs;
         c.irreversible.push_back(std::move(b));
      }
      c.expired_before = time_point_sec{parent.block_num};
      if (auto r = s.commit_lib(c); !r) {
         std::fprintf(stderr, "%s\n", r.error().c_str());
         std::exit(1);
      }
   }
   return count / std::chrono::duration<double>(clock_type::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
   const auto dir = std::filesystem::temp_directory_path() / fmt::format("bench-store-{}", ::getpid());
   const uint32_t total = argc > 1 ? static_cast<uint32_t>(std::stoul(argv[1])) : 100'000;
   auto r = rocksdb_chain_store::open(dir / "db");
   if (!r) {
      std::fprintf(stderr, "%s\n", r.error().c_str());
      return 1;
   }
   auto& s = **r;
   genesis_state g;
   auto gs = std::make_shared<block_state>();
   gs->bhs = block_header_state::genesis(g);
   gs->block = std::make_shared<const signed_block>(g.genesis_block());
   if (auto i = s.initialize({g, g.compute_chain_id()}, *gs); !i) {
      std::fprintf(stderr, "%s\n", i.error().c_str());
      return 1;
   }

   const uint32_t single = 2'000;
   fmt::print("commit_lib, batch 1:   {:>10.0f} blocks/s ({} blocks, 10 trx each, synced)\n", commit_blocks(s, single, 1), single);
   fmt::print("commit_lib, batch 100: {:>10.0f} blocks/s ({} blocks)\n", commit_blocks(s, total - single, 100), total - single);
   fmt::print("VmRSS after {} blocks: {}\n", s.lib_num(), vm_rss());

   std::mt19937 rng(1);
   const uint32_t reads = 200'000;
   const auto start = clock_type::now();
   std::size_t bytes = 0;
   for (uint32_t i = 0; i < reads; ++i) {
      auto b = s.block_by_num(1 + rng() % s.lib_num());
      if (!b) {
         std::fprintf(stderr, "block missing: %s\n", s.last_error().c_str());
         return 1;
      }
      bytes += b->transactions.size();
   }
   const double secs = std::chrono::duration<double>(clock_type::now() - start).count();
   fmt::print("block_by_num, random:  {:>10.0f} reads/s ({} reads)\n", reads / secs, reads);
   fmt::print("VmRSS after reads: {}\n", vm_rss());
   r->reset();
   std::error_code ec;
   std::filesystem::remove_all(dir, ec);
   return bytes ? 0 : 1;
}
