#include "net/sync_serve.hpp"

#include <algorithm>

namespace core {

serve_plan plan_sync_request_response(const sync_chain_view& chain, uint32_t start, uint32_t end) {
   serve_plan plan;
   if (start == 0 && end == 0) {
      plan.cancel = true;
      return plan;
   }
   if (start > end || start == 0)
      return plan;
   const uint32_t top = chain.fork_db_head_num();
   if (start < chain.earliest_available_block_num() || start > top) {
      plan.go_away_after = true;
      return plan;
   }
   plan.first = start;
   plan.last = std::min(end, top);
   plan.go_away_after = end > top;
   return plan;
}

serve_plan plan_catch_up_response(const sync_chain_view& chain, const std::optional<block_id_type>& requester_head,
                                  uint32_t requester_lib_num) {
   serve_plan plan;
   if (requester_lib_num == 0)
      return plan; // no handshake yet
   uint32_t head_num = requester_head ? block_num_from_id(*requester_head) : 0;
   bool on_fork = head_num == 0;
   if (!on_fork) {
      auto mine = chain.id_for_num(head_num);
      if (!mine) {
         plan.go_away_after = true; // asked for a block beyond my chain
         return plan;
      }
      on_fork = *mine != *requester_head;
   }
   const uint32_t last_sent = on_fork ? requester_lib_num : head_num;
   plan.first = last_sent + 1;
   plan.last = chain.fork_db_head_num();
   return plan;
}

} // namespace core
