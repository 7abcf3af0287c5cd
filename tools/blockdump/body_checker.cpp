#include "body_checker.hpp"

namespace blockdump {

body_checker::body_checker(const core::checksum256& chain_id, const core::chain_config& config)
   : recent_(std::make_unique<std::array<std::pair<uint32_t, core::block_id_type>, tapos_window_blocks>>()) {
   ctx_.chain_id = chain_id;
   ctx_.config = config;
   ctx_.tapos_block = [this](uint32_t num) -> std::optional<core::block_id_type> {
      const auto& [n, id] = (*recent_)[num % tapos_window_blocks];
      if (n != num || num == 0)
         return std::nullopt;
      return id;
   };
   ctx_.is_duplicate = [this](const core::transaction_id_type& id) { return live_ids_.contains(id); };
}

std::string body_checker::check_and_record(const core::signed_block& b, const core::block_id_type& id) {
   // Leap drops a transaction id from the duplicate index once it has expired at the pending block.
   const uint32_t now_s = static_cast<uint32_t>(b.timestamp.to_time_point().us / 1'000'000);
   while (!by_expiration_.empty() && by_expiration_.begin()->first < now_s) {
      live_ids_.erase(by_expiration_.begin()->second);
      by_expiration_.erase(by_expiration_.begin());
   }
   auto r = core::validate_block_body(b, ctx_, pool_);
   if (!r)
      return r.error().to_string();
   for (const auto& t : *r) {
      live_ids_.insert(t.id);
      by_expiration_.emplace(t.expiration.secs, t.id);
   }
   (*recent_)[b.block_num() % tapos_window_blocks] = {b.block_num(), id};
   return {};
}

} // namespace blockdump
