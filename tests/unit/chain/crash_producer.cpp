// Helper for crash_test.cpp: produces devnet blocks (one transaction each) into a RocksDB store
// as fast as it can, in virtual time, until killed. Usage: chain_crash_producer <store-dir>.
// Writes one byte to stdout once the chain is open (the test times its kill from there).
#include "chain/block_producer.hpp"
#include "chain/controller.hpp"
#include "types/devnet.hpp"
#include "store/rocksdb_chain_store.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <memory>

using namespace core;

int main(int argc, char** argv) {
   if (argc != 2) {
      std::fprintf(stderr, "usage: chain_crash_producer <store-dir>\n");
      return 2;
   }
   auto store = rocksdb_chain_store::open(argv[1]);
   if (!store) {
      std::fprintf(stderr, "%s\n", store.error().c_str());
      return 1;
   }
   const auto key = private_key::from_string(devnet_private_key_wif).value();
   manual_chain_clock clock(devnet_genesis().initial_timestamp);
   controller_config cfg;
   cfg.genesis = devnet_genesis();
   cfg.signature_threads = 1;
   controller chain(**store, clock, cfg);
   if (auto r = chain.open(); !r) {
      std::fprintf(stderr, "%s\n", r.error().c_str());
      return 1;
   }
   block_producer producer(chain, {.producers = {{"eosio"_n, key}}, .propose_schedule = {}, .enable_stale_production = true, .activate_savanna = {}});
   (void)!::write(1, "o", 1);
   for (uint64_t n = 0;; ++n) {
      const auto slot = block_timestamp{chain.head()->timestamp().slot + 1};
      clock.set(slot.to_time_point());
      transaction t;
      t.expiration.secs = uint32_t(slot.to_time_point().us / 1'000'000 + 60);
      t.ref_block_num = uint16_t(chain.head()->block_num());
      t.ref_block_prefix = ref_block_prefix(chain.head()->id());
      action a;
      a.account = "eosio.token"_n;
      a.name = "transfer"_n;
      a.authorization.push_back({"alice"_n, "active"_n});
      const auto memo = fmt::format("crash {} {}", slot.slot, n);
      a.data.assign(memo.begin(), memo.end());
      t.actions.push_back(a);
      const auto digest = packed_transaction::make(t, {}, {}).sig_digest(chain.chain_id());
      chain.push_transaction(std::make_shared<const packed_transaction>(packed_transaction::make(t, {key.sign(digest)}, {})));
      if (auto b = producer.on_slot(slot, clock.now()); !b) {
         std::fprintf(stderr, "%s\n", b.error().c_str());
         return 1;
      }
   }
}
