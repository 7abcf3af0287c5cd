#include "chain/block_producer.hpp"

#include <algorithm>
#include <limits>

namespace core {

block_producer::block_producer(controller& chain, block_producer_config cfg)
   : chain_(chain), cfg_(std::move(cfg)), enabled_(cfg_.enable_stale_production) {}

const producer_identity* block_producer::identity_for(const producer_authority& scheduled) const {
   const auto& auth = std::get<block_signing_authority_v0>(scheduled.authority);
   for (const auto& id : cfg_.producers) {
      if (id.producer != scheduled.producer_name)
         continue;
      const public_key pub = id.key.get_public_key();
      for (const auto& kw : auth.keys)
         if (kw.key == pub && kw.weight >= auth.threshold)
            return &id;
   }
   return nullptr;
}

void block_producer::on_accepted_block(const block_state_ptr& b) {
   const name p = b->block->producer;
   if (std::none_of(cfg_.producers.begin(), cfg_.producers.end(), [&](const auto& i) { return i.producer == p; }))
      return;
   auto& w = watermarks_[p];
   if (b->block_num() > w.first || b->timestamp() > w.second)
      w = {std::max(w.first, b->block_num()), std::max(w.second, b->timestamp())};
}

result<block_state_ptr> block_producer::on_slot(block_timestamp slot, time_point now) {
   const block_state_ptr head = chain_.head();
   if (!enabled_ && head->timestamp().next().to_time_point() >= block_timestamp::from_time_point(now).to_time_point())
      enabled_ = true;
   if (!enabled_ || slot <= head->timestamp())
      return block_state_ptr{};
   const producer_authority& scheduled = head->bhs.producer_for_block_at(slot);
   const producer_identity* me = identity_for(scheduled);
   if (!me)
      return block_state_ptr{};
   auto wm = watermarks_.find(me->producer);
   // Never sign twice for one slot, nor on a fork shorter than one we already signed on.
   if (wm != watermarks_.end() && (wm->second.first > head->block_num() || wm->second.second >= slot))
      return block_state_ptr{};
   controller::produce_options o;
   o.producer = me->producer;
   o.when = slot;
   if (wm != watermarks_.end() && wm->second.first < head->block_num())
      o.confirmed = static_cast<uint16_t>(
         std::min<uint32_t>(std::numeric_limits<uint16_t>::max(), head->block_num() - wm->second.first));
   o.propose_schedule = cfg_.propose_schedule;
   o.max_transactions = cfg_.max_transactions_per_block;
   if (!head->bhs.savanna)
      o.activate_savanna = cfg_.activate_savanna;
   auto b = chain_.produce_block(o, me->key);
   if (!b)
      return unexpected{b.error()};
   watermarks_[me->producer] = {(*b)->block_num(), (*b)->timestamp()};
   return b;
}

} // namespace core
