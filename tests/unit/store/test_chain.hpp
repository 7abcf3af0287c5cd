#pragma once
// Real signed chains for store tests: block 1 from the dev genesis, then blocks by eosio signed
// with the dev key, each carrying `trxs_per_block` transaction receipts.
#include "chain/block_state.hpp"
#include "chain/chain_store.hpp"
#include "crypto/sha256.hpp"

#include <fmt/format.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace core::test {

inline private_key dev_key() {
   auto k = private_key::from_string("5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3");
   if (!k)
      throw std::runtime_error("dev key does not parse");
   return *k;
}

inline genesis_state dev_genesis() {
   genesis_state g;
   g.initial_timestamp = *time_point::from_string("2020-01-01T00:00:00.000");
   g.initial_key = dev_key().get_public_key();
   return g;
}

inline chain_metadata dev_metadata() { return {dev_genesis(), dev_genesis().compute_chain_id()}; }

inline block_state_ptr genesis_block_state() {
   auto g = dev_genesis();
   auto bs = std::make_shared<block_state>();
   bs->bhs = block_header_state::genesis(g);
   bs->block = std::make_shared<const signed_block>(g.genesis_block());
   bs->validated = true;
   return bs;
}

inline transaction_id_type trx_id(uint32_t block_num, uint32_t i) { return sha256(fmt::format("trx {} {}", block_num, i)); }

/// The child of `parent`, signed by eosio, with `trxs` deferred-id receipts (ids from trx_id()).
inline block_state_ptr next_block(const block_header_state& parent, const private_key& key, uint32_t trxs = 2) {
   signed_block b;
   b.timestamp = block_timestamp{parent.header.timestamp.slot + 1};
   b.producer = "eosio"_n;
   b.confirmed = 0;
   b.previous = parent.id;
   b.schedule_version = parent.active_schedule.version;
   for (uint32_t i = 0; i < trxs; ++i) {
      transaction_receipt r;
      r.cpu_usage_us = 100 + i;
      r.trx = trx_id(parent.block_num + 1, i);
      b.transactions.push_back(r);
   }
   b.transaction_mroot = b.calculate_transaction_mroot();
   signed_block_header h = b;
   auto s = parent.sign_next(h, key);
   if (!s)
      throw std::runtime_error(s.error());
   static_cast<signed_block_header&>(b) = h;
   auto bs = std::make_shared<block_state>();
   bs->bhs = std::move(*s);
   bs->block = std::make_shared<const signed_block>(std::move(b));
   bs->validated = true;
   return bs;
}

/// Blocks 1..last (index i holds block i+1).
inline std::vector<block_state_ptr> make_chain(uint32_t last, uint32_t trxs = 2) {
   const auto key = dev_key();
   std::vector<block_state_ptr> chain{genesis_block_state()};
   while (chain.back()->block_num() < last)
      chain.push_back(next_block(chain.back()->bhs, key, trxs));
   return chain;
}

/// A commit making chain blocks from..to (inclusive) irreversible.
inline lib_commit commit_range(const std::vector<block_state_ptr>& chain, uint32_t from, uint32_t to) {
   lib_commit c;
   for (uint32_t n = from; n <= to; ++n) {
      c.irreversible.push_back(chain[n - 1]);
      c.removed_reversible.push_back(chain[n - 1]->id());
   }
   return c;
}

} // namespace core::test
