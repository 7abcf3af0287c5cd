#include "chain/chain_store.hpp"

#include <fmt/format.h>

namespace core {

result<bool> memory_chain_store::initialize(const chain_metadata& meta, const block_state& genesis) {
   if (meta_)
      return unexpected{std::string("store is already initialised")};
   meta_ = meta;
   lib_state_ = genesis.bhs;
   blocks_[genesis.block_num()] = {genesis.id(), genesis.block};
   ids_[genesis.id()] = genesis.block_num();
   return true;
}

std::shared_ptr<const signed_block> memory_chain_store::block_by_num(uint32_t num) const {
   auto it = blocks_.find(num);
   return it == blocks_.end() ? nullptr : it->second.second;
}

std::optional<block_id_type> memory_chain_store::id_by_num(uint32_t num) const {
   auto it = blocks_.find(num);
   if (it == blocks_.end())
      return std::nullopt;
   return it->second.first;
}

std::optional<uint32_t> memory_chain_store::num_by_id(const block_id_type& id) const {
   auto it = ids_.find(id);
   if (it == ids_.end())
      return std::nullopt;
   return it->second;
}

void memory_chain_store::put_reversible(const block_state& b) { reversible_[b.id()] = std::make_shared<block_state>(b); }

std::vector<block_state_ptr> memory_chain_store::load_reversible() const {
   std::vector<block_state_ptr> out;
   for (const auto& [id, b] : reversible_)
      out.push_back(std::make_shared<block_state>(*b));
   return out;
}

result<bool> memory_chain_store::commit_lib(const lib_commit& c) {
   uint32_t expect = lib_num() + 1;
   for (const auto& b : c.irreversible) {
      if (b->block_num() != expect)
         return unexpected{fmt::format("irreversible block {} does not follow {}", b->block_num(), expect - 1)};
      ++expect;
   }
   for (const auto& b : c.irreversible) {
      blocks_[b->block_num()] = {b->id(), b->block};
      ids_[b->id()] = b->block_num();
   }
   if (!c.irreversible.empty())
      lib_state_ = c.irreversible.back()->bhs;
   for (const auto& id : c.removed_reversible)
      reversible_.erase(id);
   for (const auto& [id, exp] : c.included_trxs)
      trxs_[id] = exp;
   std::erase_if(trxs_, [&](const auto& kv) { return kv.second <= c.expired_before; });
   return true;
}

} // namespace core
