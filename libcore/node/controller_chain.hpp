#pragma once
/// The protocol engine's chain (net/engine_chain.hpp) over the controller and its store.
/// Thread affinity: the controller's thread.
#include "chain/chain_store.hpp"
#include "chain/controller.hpp"
#include "net/engine_chain.hpp"

namespace core {

class controller_chain final : public engine_chain {
public:
   controller_chain(controller& chain, const chain_store& store) : chain_(chain), store_(store) {}

   // sync_chain_view
   uint32_t head_num() const override { return chain_.head()->block_num(); }
   block_id_type head_id() const override { return chain_.head()->id(); }
   uint32_t fork_db_head_num() const override { return chain_.fork_db_head()->block_num(); }
   block_id_type fork_db_head_id() const override { return chain_.fork_db_head()->id(); }
   uint32_t lib_num() const override { return chain_.last_irreversible_block_num(); }
   block_id_type lib_id() const override { return chain_.last_irreversible()->id(); }
   std::optional<block_id_type> id_for_num(uint32_t num) const override;
   bool knows_block(const block_id_type& id) const override;
   uint32_t earliest_available_block_num() const override { return store_.first_block_num(); }

   // engine_chain
   block_outcome accept_block(std::shared_ptr<const signed_block> b) override;
   void prefetch_block_keys(const std::shared_ptr<const signed_block>& b) override { chain_.prefetch_block_keys(b); }
   bool block_keys_ready(const block_id_type& id) const override { return chain_.block_keys_ready(id); }
   std::shared_ptr<const signed_block> block_by_num(uint32_t num) const override {
      return chain_.fetch_block_by_number(num);
   }
   std::shared_ptr<const signed_block> block_by_id(const block_id_type& id) const override {
      return chain_.fetch_block_by_id(id);
   }
   std::optional<uint32_t> lib_as_of(const block_id_type& id) const override;
   std::vector<trx_outcome> push_transactions(std::span<const std::shared_ptr<const packed_transaction>> trxs) override;
   void drop_expired_transactions() override { chain_.drop_expired_transactions(); }
   vote_status process_vote(const vote_message& v) override { return chain_.process_vote(v); }
   head_producer_schedules producer_schedules() const override;

private:
   controller& chain_;
   const chain_store& store_;
};

} // namespace core
