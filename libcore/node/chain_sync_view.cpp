#include "node/chain_sync_view.hpp"

namespace core {

std::optional<block_id_type> chain_sync_view::id_for_num(uint32_t num) const {
   const auto& root = chain_.last_irreversible();
   if (num == 0 || num > chain_.fork_db_head()->block_num())
      return std::nullopt;
   if (num == root->block_num())
      return root->id();
   if (num < root->block_num())
      return store_.id_by_num(num);
   auto b = chain_.fork_db().search_on_branch(chain_.fork_db_head()->id(), num);
   if (!b)
      return std::nullopt;
   return b->id();
}

bool chain_sync_view::knows_block(const block_id_type& id) const {
   if (chain_.fork_db().contains(id) || id == chain_.last_irreversible()->id())
      return true;
   return store_.num_by_id(id).has_value();
}

} // namespace core
