#include "node/controller_chain.hpp"

namespace core {

std::optional<block_id_type> controller_chain::id_for_num(uint32_t num) const {
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

bool controller_chain::knows_block(const block_id_type& id) const {
   if (chain_.fork_db().contains(id) || id == chain_.last_irreversible()->id())
      return true;
   return store_.num_by_id(id).has_value();
}

block_outcome controller_chain::accept_block(std::shared_ptr<const signed_block> b) {
   auto r = chain_.accept_block(std::move(b));
   block_outcome out;
   out.error = std::move(r.error);
   switch (r.status) {
   case block_status::applied: out.verdict = block_verdict::applied; break;
   case block_status::forked: out.verdict = block_verdict::forked; break;
   case block_status::duplicate: out.verdict = block_verdict::duplicate; break;
   case block_status::old: out.verdict = block_verdict::old; break;
   case block_status::unlinkable: out.verdict = block_verdict::unlinkable; break;
   case block_status::invalid: out.verdict = block_verdict::invalid; break;
   case block_status::unavailable: out.verdict = block_verdict::unavailable; break;
   }
   return out;
}

std::optional<uint32_t> controller_chain::lib_as_of(const block_id_type& id) const {
   if (auto b = chain_.fork_db().get(id))
      return b->dpos_irreversible_blocknum();
   return std::nullopt;
}

std::vector<trx_outcome> controller_chain::push_transactions(std::span<const std::shared_ptr<const packed_transaction>> trxs) {
   auto results = chain_.push_transactions(trxs);
   std::vector<trx_outcome> out;
   out.reserve(results.size());
   for (auto& r : results)
      out.push_back(trx_outcome{r.accepted, r.id, std::move(r.error)});
   return out;
}

} // namespace core

namespace core {

head_producer_schedules controller_chain::producer_schedules() const {
   const auto& bhs = chain_.head()->bhs;
   head_producer_schedules s;
   s.head_time = bhs.header.timestamp;
   if (bhs.is_proper_savanna() && bhs.savanna && bhs.savanna->active_proposer_policy) {
      s.active = bhs.savanna->active_proposer_policy->proposer_schedule;
      if (bhs.savanna->latest_pending_proposer_policy)
         s.pending = bhs.savanna->latest_pending_proposer_policy->proposer_schedule;
   } else {
      s.active = bhs.active_schedule;
      if (!bhs.pending_schedule.schedule.producers.empty())
         s.pending = bhs.pending_schedule.schedule;
   }
   return s;
}

} // namespace core
