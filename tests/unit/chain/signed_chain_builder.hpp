#pragma once
// Builds a valid single-producer (eosio, development key) chain block by block, straight from
// block_header_state::sign_next, with signed transactions referencing the parent block. Shared by
// the replay tests and bench_replay; no Catch2 dependency.
#include "chain/block_header_state.hpp"
#include "types/devnet.hpp"
#include "chain/recovery_pool.hpp"
#include "chain/transaction_checks.hpp"
#include "crypto/private_key.hpp"
#include "crypto/sha256.hpp"
#include "support/test_keys.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

namespace chain_test {

using namespace core;

using test::dev_key;
using test::key_for;

class signed_chain_builder {
public:
   /// `trx_keys`: transaction i of a block is signed by trx_keys[i % size].
   explicit signed_chain_builder(genesis_state g = devnet_genesis(), std::size_t trx_key_count = 3)
      : genesis_(g), chain_id_(g.compute_chain_id()), key_(dev_key()), head_(block_header_state::genesis(g)) {
      for (std::size_t i = 0; i < trx_key_count; ++i)
         trx_keys_.push_back(key_for(fmt::format("trx-key-{}", i)));
   }

   const genesis_state& genesis() const { return genesis_; }
   const checksum256& chain_id() const { return chain_id_; }
   const block_header_state& head() const { return head_; }

   /// An unsigned transaction for the next block: TAPO to `ref_num` (default: the head), expiring
   /// `lifetime_s` after the next block's time, unique by `memo`.
   transaction make_transaction(std::string memo, uint32_t lifetime_s = 60, std::optional<uint32_t> ref_num = {},
                                std::optional<block_id_type> ref_id = {}) const {
      transaction t;
      const uint32_t now_s = uint32_t(next_timestamp().to_time_point().us / 1'000'000);
      t.expiration.secs = now_s + lifetime_s;
      const uint32_t rn = ref_num.value_or(head_.block_num);
      const block_id_type rid = ref_id.value_or(head_.id);
      t.ref_block_num = uint16_t(rn);
      t.ref_block_prefix = ref_block_prefix(rid);
      action a;
      a.account = "eosio.token"_n;
      a.name = "transfer"_n;
      a.authorization.push_back({"alice"_n, "active"_n});
      a.data.assign(memo.begin(), memo.end());
      t.actions.push_back(std::move(a));
      return t;
   }

   packed_transaction sign(const transaction& t, std::size_t key_index) const {
      auto unsigned_pt = packed_transaction::make(t, {}, {});
      return packed_transaction::make(t, {trx_keys_[key_index % trx_keys_.size()].sign(unsigned_pt.sig_digest(chain_id_))}, {});
   }

   /// A receipt billing `t` as Leap would.
   transaction_receipt receipt(packed_transaction t) const {
      transaction_receipt r;
      r.status = transaction_status::executed;
      r.cpu_usage_us = 100;
      r.net_usage_words.value = uint32_t(billable_net_usage_bytes(t, genesis_.initial_configuration) / 8);
      r.trx = std::move(t);
      return r;
   }

   /// `count` fresh signed transactions for the next block (signed on `pool` when given).
   std::vector<transaction_receipt> make_receipts(std::size_t count, recovery_pool* pool = nullptr) const {
      std::vector<transaction> trxs;
      for (std::size_t i = 0; i < count; ++i)
         trxs.push_back(make_transaction(fmt::format("b{}t{}", head_.block_num + 1, i)));
      std::vector<transaction_receipt> out(count);
      if (!pool) {
         for (std::size_t i = 0; i < count; ++i)
            out[i] = receipt(sign(trxs[i], i));
         return out;
      }
      std::vector<std::future<void>> done;
      for (std::size_t i = 0; i < count; ++i)
         done.push_back(pool->submit([&, i] { out[i] = receipt(sign(trxs[i], i)); }));
      for (auto& f : done)
         f.get();
      return out;
   }

   block_timestamp next_timestamp() const { return block_timestamp{head_.header.timestamp.slot + 1}; }

   /// A next block holding `receipts`, header filled but not signed.
   signed_block draft(std::vector<transaction_receipt> receipts) const {
      signed_block b;
      b.timestamp = next_timestamp();
      b.producer = "eosio"_n;
      b.confirmed = 0;
      b.previous = head_.id;
      b.schedule_version = head_.active_schedule.version;
      b.transactions = std::move(receipts);
      b.transaction_mroot = b.calculate_transaction_mroot();
      return b;
   }

   /// Signs `b` (producer signature set in place) and makes it the head.
   void seal(signed_block& b) {
      auto s = head_.sign_next(b, key_);
      head_ = std::move(s.value());
   }

   signed_block next_block(std::size_t trx_count, recovery_pool* pool = nullptr) {
      auto b = draft(make_receipts(trx_count, pool));
      seal(b);
      return b;
   }

private:
   genesis_state genesis_;
   checksum256 chain_id_;
   private_key key_;
   std::vector<private_key> trx_keys_;
   block_header_state head_;
};

} // namespace chain_test
