#pragma once
// A chain for the protocol engine's tests and fuzzer (net/engine_chain.hpp): real signed_block
// headers (so ids are computed as the engine computes them), a best chain, branches, a LIB,
// and switches to make blocks invalid, keep their signature recovery pending, or refuse
// transactions. No validation beyond linking.
#include "net/engine_chain.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace test {

/// Block `num` on top of `previous` (its number is previous's + 1); `tag` tells branches apart.
inline std::shared_ptr<const core::signed_block> make_block(const core::block_id_type& previous, uint16_t tag = 0) {
   core::signed_block b;
   b.previous = previous;
   b.timestamp = core::block_timestamp{b.block_num()};
   b.producer = core::name(core::name::string_to_value("eosio"));
   b.confirmed = tag;
   return std::make_shared<const core::signed_block>(std::move(b));
}

struct fake_engine_chain : core::engine_chain {
   std::vector<std::shared_ptr<const core::signed_block>> best; ///< best[i] = block i+1
   std::map<core::block_id_type, std::shared_ptr<const core::signed_block>> known;
   uint32_t lib = 1;
   uint32_t earliest = 1;
   std::set<core::block_id_type> invalid;       ///< accept_block says invalid
   std::set<core::block_id_type> keys_pending;  ///< block_keys_ready says false
   std::vector<core::block_id_type> accepted;   ///< every block accept_block was offered, in order
   std::vector<std::shared_ptr<const core::packed_transaction>> pushed;
   bool accept_transactions = true;
   int expiry_sweeps = 0;
   int push_calls = 0;
   /// The fork database's best block when it is not the applied head (unset: the head).
   std::optional<core::block_id_type> fork_db_head;
   /// Called inside accept_block once a block is linked (the controller's accepted_block_header).
   std::function<void(const std::shared_ptr<const core::signed_block>&)> on_header_valid;

   /// Blocks 1..n on the best chain; LIB `lib_num`.
   explicit fake_engine_chain(uint32_t n = 1, uint32_t lib_num = 1) {
      extend_to(n);
      lib = lib_num;
   }
   void extend_to(uint32_t n) {
      while (best.size() < n)
         add(make_block(best.empty() ? core::block_id_type{} : best.back()->calculate_id()));
   }
   /// Blocks that would follow the best chain, not offered to it.
   std::vector<std::shared_ptr<const core::signed_block>> next_blocks(uint32_t count, uint16_t tag = 0) const {
      std::vector<std::shared_ptr<const core::signed_block>> out;
      core::block_id_type prev = best.back()->calculate_id();
      for (uint32_t i = 0; i < count; ++i) {
         out.push_back(make_block(prev, tag));
         prev = out.back()->calculate_id();
      }
      return out;
   }
   core::block_id_type id(uint32_t num) const { return best.at(num - 1)->calculate_id(); }

   // sync_chain_view
   uint32_t head_num() const override { return static_cast<uint32_t>(best.size()); }
   core::block_id_type head_id() const override { return best.back()->calculate_id(); }
   uint32_t fork_db_head_num() const override { return fork_db_head ? core::block_num_from_id(*fork_db_head) : head_num(); }
   core::block_id_type fork_db_head_id() const override { return fork_db_head ? *fork_db_head : head_id(); }
   uint32_t lib_num() const override { return lib; }
   core::block_id_type lib_id() const override { return id(lib); }
   std::optional<core::block_id_type> id_for_num(uint32_t n) const override {
      if (n == 0 || n > best.size() || n < earliest)
         return std::nullopt;
      return id(n);
   }
   bool knows_block(const core::block_id_type& b) const override { return known.contains(b); }
   uint32_t earliest_available_block_num() const override { return earliest; }

   // engine_chain
   core::block_outcome accept_block(std::shared_ptr<const core::signed_block> b) override {
      const auto bid = b->calculate_id();
      accepted.push_back(bid);
      if (invalid.contains(bid))
         return {core::block_verdict::invalid, "a fake chain's invalid block"};
      if (known.contains(bid))
         return {core::block_verdict::duplicate, {}};
      if (b->block_num() <= lib)
         return {core::block_verdict::old, {}};
      if (!known.contains(b->previous))
         return {core::block_verdict::unlinkable, {}};
      const bool extends = b->previous == head_id();
      add(b);
      if (on_header_valid)
         on_header_valid(b);
      return {extends ? core::block_verdict::applied : core::block_verdict::forked, {}};
   }
   void prefetch_block_keys(const std::shared_ptr<const core::signed_block>&) override {}
   bool block_keys_ready(const core::block_id_type& b) const override { return !keys_pending.contains(b); }
   std::shared_ptr<const core::signed_block> block_by_num(uint32_t n) const override {
      return n >= earliest && n >= 1 && n <= best.size() ? best[n - 1] : nullptr;
   }
   std::shared_ptr<const core::signed_block> block_by_id(const core::block_id_type& b) const override {
      auto it = known.find(b);
      return it == known.end() ? nullptr : it->second;
   }
   std::optional<uint32_t> lib_as_of(const core::block_id_type& b) const override {
      if (!known.contains(b))
         return std::nullopt;
      const uint32_t n = core::block_num_from_id(b);
      return n > 12 ? n - 12 : 1; // a fake "two thirds of 21 producers" distance
   }
   std::vector<core::trx_outcome> push_transactions(
      std::span<const std::shared_ptr<const core::packed_transaction>> trxs) override {
      std::vector<core::trx_outcome> out;
      ++push_calls;
      for (const auto& t : trxs) {
         pushed.push_back(t);
         out.push_back({accept_transactions, t->id(), accept_transactions ? "" : "refused by the fake chain"});
      }
      return out;
   }
   void drop_expired_transactions() override { ++expiry_sweeps; }
   /// Votes offered, in order; the verdict is vote_verdict (success by default), or duplicate
   /// for a vote already offered with success.
   std::vector<core::vote_message> votes;
   std::function<core::vote_status(const core::vote_message&)> vote_verdict;
   /// What producer_schedules() reports (BP gossip); head_time defaults to the head's timestamp.
   core::head_producer_schedules schedules;
   std::optional<core::block_timestamp> head_time;
   core::head_producer_schedules producer_schedules() const override {
      auto s = schedules;
      s.head_time = head_time ? *head_time : best.back()->timestamp;
      return s;
   }
   core::vote_status process_vote(const core::vote_message& v) override {
      for (const auto& seen : votes)
         if (seen == v)
            return core::vote_status::duplicate;
      auto st = vote_verdict ? vote_verdict(v) : core::vote_status::success;
      if (st == core::vote_status::success)
         votes.push_back(v);
      return st;
   }

private:
   void add(std::shared_ptr<const core::signed_block> b) {
      const auto bid = b->calculate_id();
      if (best.empty() || b->previous == best.back()->calculate_id())
         best.push_back(b);
      known.emplace(bid, std::move(b));
   }
};

} // namespace test
