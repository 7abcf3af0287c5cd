#pragma once
/// The sync manager's and the sync server's view of the local chain (net/sync_types.hpp),
/// read from the controller and its store. Thread affinity: the controller's thread.
#include "chain/chain_store.hpp"
#include "chain/controller.hpp"
#include "net/sync_types.hpp"

namespace core {

class chain_sync_view final : public sync_chain_view {
public:
   chain_sync_view(const controller& chain, const chain_store& store) : chain_(chain), store_(store) {}
   uint32_t head_num() const override { return chain_.head()->block_num(); }
   block_id_type head_id() const override { return chain_.head()->id(); }
   uint32_t fork_db_head_num() const override { return chain_.fork_db_head()->block_num(); }
   block_id_type fork_db_head_id() const override { return chain_.fork_db_head()->id(); }
   uint32_t lib_num() const override { return chain_.last_irreversible_block_num(); }
   block_id_type lib_id() const override { return chain_.last_irreversible()->id(); }
   std::optional<block_id_type> id_for_num(uint32_t num) const override;
   bool knows_block(const block_id_type& id) const override;
   uint32_t earliest_available_block_num() const override { return store_.first_block_num(); }

private:
   const controller& chain_;
   const chain_store& store_;
};

} // namespace core
