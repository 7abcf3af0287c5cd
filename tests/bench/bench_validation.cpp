// Prints signature-recovery throughput (one thread vs the recovery pool on all cores) and
// validate_block_body throughput for a block of 10 signed transactions. Not a test.
#include "chain/block_validation.hpp"
#include "chain/recovery_pool.hpp"
#include "chain/transaction_checks.hpp"
#include "crypto/private_key.hpp"
#include "crypto/recover.hpp"
#include "crypto/sha256.hpp"

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace core;
using clock_type = std::chrono::steady_clock;
constexpr std::size_t batch_signatures = 4096; ///< one recovery batch (a large block's worth)
constexpr auto run_time = std::chrono::milliseconds(800); // per figure

template <class F>
double rate(std::size_t units_per_call, F&& f) {
   std::size_t n = 0;
   const auto start = clock_type::now();
   auto now = start;
   do {
      f();
      n += units_per_call;
      now = clock_type::now();
   } while (now - start < run_time);
   return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

private_key key_for(const std::string& seed) {
   auto secret = sha256(seed);
   return *private_key::from_secret(std::span<const uint8_t, 32>(secret.data.data(), 32));
}

} // namespace

int main() {
   std::vector<signature> sigs;
   std::vector<recovery_request> reqs;
   sigs.reserve(batch_signatures);
   const auto key = key_for("bench");
   for (std::size_t i = 0; i < batch_signatures; ++i) {
      const auto d = sha256("bench-" + std::to_string(i));
      sigs.push_back(key.sign(d));
      reqs.push_back({&sigs.back(), d});
   }

   volatile bool sink = false;
   const double single = rate(batch_signatures, [&] {
      for (const auto& r : reqs)
         sink = recover_key(*r.sig, r.digest).has_value();
   });
   recovery_pool pool(0);
   const double pooled = rate(batch_signatures, [&] { sink = pool.recover(reqs).back().has_value(); });
   fmt::print("recover_key, 1 thread          {:>10.0f} recoveries/s\n", single);
   fmt::print("recovery_pool, {:>2} workers+caller {:>8.0f} recoveries/s  ({:.1f}x)\n", pool.size(), pooled,
              pooled / single);

   // A block of 10 signed transactions on a synthetic branch.
   const auto chain_id = sha256(std::string_view("bench-chain"));
   const uint32_t head = 1000;
   auto id_of = [](uint32_t n) { return make_block_id(sha256("b" + std::to_string(n)), n); };
   const time_point now{1'700'000'000LL * 1'000'000};
   signed_block b;
   b.previous = id_of(head);
   b.timestamp = block_timestamp::from_time_point(now);
   for (int i = 0; i < 10; ++i) {
      transaction t;
      t.expiration.secs = uint32_t(now.us / 1'000'000 + 60);
      t.ref_block_num = uint16_t(head);
      t.ref_block_prefix = ref_block_prefix(id_of(head));
      action a;
      a.account = "eosio.token"_n;
      a.name = "transfer"_n;
      a.authorization.push_back({"alice"_n, "active"_n});
      a.data.assign(40, uint8_t(i));
      t.actions.push_back(a);
      auto unsigned_pt = packed_transaction::make(t, {});
      auto pt = packed_transaction::make(t, {key.sign(unsigned_pt.sig_digest(chain_id))});
      transaction_receipt r;
      r.cpu_usage_us = 100;
      r.net_usage_words.value = uint32_t(billable_net_usage_bytes(pt, chain_config{}) / 8);
      r.trx = std::move(pt);
      b.transactions.push_back(std::move(r));
   }
   b.transaction_mroot = b.calculate_transaction_mroot();
   block_body_context ctx;
   ctx.chain_id = chain_id;
   ctx.tapos_block = [&](uint32_t n) -> std::optional<block_id_type> { return id_of(n); };
   ctx.is_duplicate = [](const transaction_id_type&, time_point_sec) { return false; };
   if (auto r = validate_block_body(b, ctx, pool); !r) {
      fmt::print(stderr, "bench block invalid: {}\n", r.error().to_string());
      return 1;
   }
   recovery_pool one(1);
   const double blocks_pool = rate(1, [&] { sink = validate_block_body(b, ctx, pool).has_value(); });
   const double blocks_one = rate(1, [&] { sink = validate_block_body(b, ctx, one).has_value(); });
   fmt::print("validate_block_body, 10 trx, pool of {:>2} {:>8.0f} blocks/s\n", pool.size(), blocks_pool);
   fmt::print("validate_block_body, 10 trx, pool of  1 {:>8.0f} blocks/s\n", blocks_one);
   return 0;
}
