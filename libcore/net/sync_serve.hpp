#pragma once
/// The serving side of sync (PROTOCOL.md §9): which blocks answer a sync_request_message or a
/// catch_up request_message (Leap's blk_send_branch). Plans are ranges of block numbers on the
/// fork-db-head branch; the session fetches each block by number when it is sent and sends
/// go_away benign_other if a block has meanwhile become unavailable.
#include "net/sync_types.hpp"

namespace core {

struct serve_plan {
   bool cancel = false;     ///< {0,0}: drop the pending range and flush the sync write queue
   uint32_t first = 1;      ///< inclusive range to send; empty when first > last
   uint32_t last = 0;
   bool go_away_after = false; ///< send go_away benign_other after the range (block unavailable)

   bool empty() const { return first > last; }
   uint32_t count() const { return empty() ? 0 : last - first + 1; }
};

/// sync_request{start, end}: blocks start..end that exist, then benign_other at the first missing.
serve_plan plan_sync_request_response(const sync_chain_view& chain, uint32_t start, uint32_t end);

/// request{req_blocks{catch_up, ids}}: the requester's head is `requester_head` (the last id, or
/// empty) and its last handshake LIB `requester_lib_num`. Sends (head+1 … my fork-db head) when
/// the head is on my chain, (LIB+1 … my fork-db head) when it is on another fork or absent, and
/// benign_other when the head's number is beyond my chain.
serve_plan plan_catch_up_response(const sync_chain_view& chain, const std::optional<block_id_type>& requester_head,
                                  uint32_t requester_lib_num);

} // namespace core
