#pragma once
// The producer's side of bench_net_scale: ~1 MB blocks valid for a devnet node, built one at a
// time (a core::controller over a store that keeps only the recent blocks, so a 5-minute run of
// 600 blocks stays in bounded memory). A block is a few large transactions (big action data):
// the node's work per block is then dominated by moving bytes, not by signature recovery.
#include "chain/controller.hpp"
#include "crypto/private_key.hpp"
#include "net/frame.hpp"
#include "support/test_transactions.hpp"
#include "types/devnet.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bench {

/// chain_store in memory that forgets irreversible blocks beyond the last `keep`.
class recent_chain_store final : public core::chain_store {
public:
   explicit recent_chain_store(std::size_t keep) : keep_(keep) {}
   std::optional<core::chain_metadata> metadata() const override { return meta_; }
   core::result<bool> initialize(const core::chain_metadata& meta, const core::block_state& genesis) override {
      meta_ = meta;
      lib_state_ = genesis.bhs;
      blocks_[genesis.block_num()] = {genesis.id(), genesis.block};
      return true;
   }
   std::optional<core::block_header_state> lib_state() const override { return lib_state_; }
   uint32_t first_block_num() const override { return blocks_.empty() ? 0 : blocks_.begin()->first; }
   uint32_t lib_num() const override { return blocks_.empty() ? 0 : blocks_.rbegin()->first; }
   std::shared_ptr<const core::signed_block> block_by_num(uint32_t num) const override {
      auto it = blocks_.find(num);
      return it == blocks_.end() ? nullptr : it->second.second;
   }
   std::optional<core::block_id_type> id_by_num(uint32_t num) const override {
      auto it = blocks_.find(num);
      return it == blocks_.end() ? std::nullopt : std::optional(it->second.first);
   }
   std::optional<uint32_t> num_by_id(const core::block_id_type& id) const override {
      for (const auto& [num, b] : blocks_)
         if (b.first == id)
            return num;
      return std::nullopt;
   }
   void put_reversible(const core::block_state& b) override { reversible_[b.id()] = std::make_shared<core::block_state>(b); }
   std::vector<core::block_state_ptr> load_reversible() const override {
      std::vector<core::block_state_ptr> out;
      for (const auto& [id, b] : reversible_)
         out.push_back(b);
      return out;
   }
   core::result<bool> commit_lib(const core::lib_commit& c) override {
      for (const auto& b : c.irreversible)
         blocks_[b->block_num()] = {b->id(), b->block};
      if (!c.irreversible.empty())
         lib_state_ = c.irreversible.back()->bhs;
      for (const auto& id : c.removed_reversible)
         reversible_.erase(id);
      while (blocks_.size() > keep_)
         blocks_.erase(blocks_.begin());
      for (const auto& [id, exp] : c.included_trxs)
         trxs_[id] = exp;
      std::erase_if(trxs_, [&](const auto& kv) { return kv.second <= c.expired_before; });
      return true;
   }
   bool has_transaction(const core::transaction_id_type& id, core::time_point_sec expiration) const override {
      auto it = trxs_.find(id);
      return it != trxs_.end() && it->second == expiration;
   }

private:
   std::size_t keep_;
   std::optional<core::chain_metadata> meta_;
   std::optional<core::block_header_state> lib_state_;
   std::map<uint32_t, std::pair<core::block_id_type, std::shared_ptr<const core::signed_block>>> blocks_;
   std::map<core::block_id_type, core::block_state_ptr> reversible_;
   std::map<core::transaction_id_type, core::time_point_sec> trxs_;
};

/// One framed block ready to send.
struct built_block {
   uint32_t num = 0;
   core::block_timestamp when;
   std::shared_ptr<const std::vector<uint8_t>> frame;
};

/// Builds devnet blocks signed by the scheduled producer (eosio, the development key), each
/// `trx` transactions of `data_bytes` of action data, at the slots it is asked for.
class block_builder {
public:
   block_builder(std::size_t trx, std::size_t data_bytes)
      : store_(64), trx_(trx), data_(data_bytes, 'x'),
        key_(core::private_key::from_string(core::devnet_private_key_wif).value()) {
      cc_.genesis = core::devnet_genesis();
      chain_ = std::make_unique<core::controller>(store_, clock_, cc_);
      if (auto r = chain_->open(); !r)
         throw std::runtime_error("bench controller: " + r.error());
   }

   /// The next block, at `when` (after the head's slot and not in the future); `empty`: no
   /// transactions (the first block moves the head from the genesis time to now, and a
   /// transaction cannot expire more than an hour after its block's head).
   built_block build(core::block_timestamp when, bool empty = false) {
      using core::operator""_n;
      for (std::size_t k = 0; k < (empty ? 0 : trx_); ++k) {
         const auto& h = chain_->head();
         const auto exp = core::time_point_sec{uint32_t(when.to_time_point().us / 1'000'000 + 120)};
         // Unique per transaction: the nonce leads the action data.
         const auto nonce = fmt::format("{:020}", ++nonce_);
         std::copy(nonce.begin(), nonce.end(), data_.begin());
         auto t = test::signed_transfer(chain_->chain_id(), h->block_num(), h->id(), exp, data_, key_, "eosio"_n);
         auto r = chain_->push_transaction(std::make_shared<const core::packed_transaction>(std::move(t)));
         if (!r.accepted)
            throw std::runtime_error("transaction refused by the bench's own controller: " + r.error);
      }
      core::controller::produce_options o;
      o.producer = "eosio"_n;
      o.when = when;
      o.max_transactions = trx_;
      auto b = chain_->produce_block(o, key_);
      if (!b)
         throw std::runtime_error("produce_block: " + b.error());
      return {(*b)->block_num(), when,
              std::make_shared<const std::vector<uint8_t>>(core::encode_frame(core::net_message{*(*b)->block}))};
   }
   uint32_t head_num() const { return chain_->head()->block_num(); }
   core::block_timestamp head_time() const { return chain_->head()->block->timestamp; }

private:
   recent_chain_store store_;
   core::system_chain_clock clock_;
   core::controller_config cc_;
   std::unique_ptr<core::controller> chain_;
   std::size_t trx_;
   std::string data_;
   core::private_key key_;
   uint64_t nonce_ = 0;
};

} // namespace bench
