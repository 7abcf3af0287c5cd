// Helper for finalizer_crash_test.cpp: a finalizer under test (key "finalizer.0", safety file
// <dir>/safety.dat) on a fresh Savanna chain in virtual time, voting on every block as fast as
// it can until killed. Three more finalizers (keys 1–3, safety information in memory only)
// make the quorum of the policy (4 finalizers, threshold 3), so each run builds its own fork
// whose slots overlap those of earlier runs. Each vote of the finalizer under test is appended
// to <dir>/votes.log ("slot block-id strong") once the controller emits it, i.e. after the
// safety file holds it: the log is what the network saw.
// Usage: chain_crash_finalizer <dir> <first-slot> <seed> (slots counted from the genesis block's). Writes one byte to stdout once voting
// starts (the test times its kill from there).
#include "chain/controller.hpp"
#include "chain/vote.hpp"
#include "crypto/sha256.hpp"
#include "types/devnet.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace core;

namespace {
bls::private_key fin_key(std::size_t i) {
   return bls::private_key::from_seed(sha256(fmt::format("finalizer.{}", i)).data).value();
}
} // namespace

int main(int argc, char** argv) {
   if (argc != 4) {
      std::fprintf(stderr, "usage: chain_crash_finalizer <dir> <first-slot> <seed>\n");
      return 2;
   }
   const std::string dir = argv[1];
   const uint32_t first_slot = static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10));
   std::mt19937 rng(static_cast<uint32_t>(std::strtoul(argv[3], nullptr, 10)));
   const int log = ::open((dir + "/votes.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
   if (log < 0) {
      std::perror("votes.log");
      return 1;
   }
   memory_chain_store store;
   const auto key = private_key::from_string(devnet_private_key_wif).value();
   manual_chain_clock clock(devnet_genesis().initial_timestamp);
   controller_config cfg;
   cfg.genesis = devnet_genesis();
   cfg.signature_threads = 1;
   cfg.project_action_mroots = true;
   controller chain(store, clock, cfg);
   if (auto r = chain.open(); !r) {
      std::fprintf(stderr, "%s\n", r.error().c_str());
      return 1;
   }
   auto fs = finalizer_set::open(dir + "/safety.dat", {{fin_key(0).get_public_key(), fin_key(0)}});
   if (!fs) {
      std::fprintf(stderr, "%s\n", fs.error().c_str());
      return 1;
   }
   chain.set_finalizers(std::move(*fs));
   // Slots count from the genesis block's (the log and the test see them as offsets).
   const uint32_t genesis_slot = chain.head()->timestamp().slot;
   chain.voted.connect([&](const vote_message& v) {
      const auto line = fmt::format("{} {} {}\n", chain.head()->timestamp().slot - genesis_slot, v.block_id.to_string(), v.strong ? 1 : 0);
      if (::write(log, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
         std::abort();
   });
   chain.vote_failed.connect([](const std::string& e) {
      std::fprintf(stderr, "%s\n", e.c_str());
      std::abort();
   });

   finalizer_policy policy;
   for (std::size_t i = 0; i < 4; ++i)
      policy.finalizers.push_back({fmt::format("fin.{}", i), 1, fin_key(i).get_public_key()});
   policy.threshold = 3;
   std::vector<bls::private_key> others{fin_key(1), fin_key(2), fin_key(3)};
   std::vector<std::optional<finalizer_safety_information>> other_fsi(3);

   uint32_t slot = genesis_slot + first_slot;
   bool signalled = false;
   for (;;) {
      controller::produce_options o;
      o.producer = "eosio"_n;
      o.when = block_timestamp{slot};
      if (!chain.head()->bhs.savanna)
         o.activate_savanna = policy;
      clock.set(o.when.to_time_point());
      auto b = chain.produce_block(o, key);
      if (!b) {
         std::fprintf(stderr, "%s\n", b.error().c_str());
         return 1;
      }
      const auto& head = *b;
      if (head->is_proper_savanna()) {
         for (std::size_t i = 0; i < others.size(); ++i) {
            if (!other_fsi[i]) {
               const auto& core = head->bhs.savanna->core;
               other_fsi[i] = finalizer_safety_information::at(core.get_block_reference(core.last_final_block_num()));
            }
            if (auto v = finalizer_vote(head->bhs, others[i], *other_fsi[i]))
               chain.process_vote(*v);
         }
         if (!signalled) {
            (void)!::write(1, "o", 1);
            signalled = true;
         }
      }
      slot += 1 + static_cast<uint32_t>(rng() % 3); // the seed's gaps make this run's fork
   }
}
