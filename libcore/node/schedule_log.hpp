#pragma once
/// Producer schedule changes in the node's log at info level, as nodeos logs them: the block
/// that proposes a schedule (nodeos: "promoting proposed schedule (set in block N) to pending"),
/// and the block from which it is active (the hand-over). One per node; the network thread.
#include "chain/block_header_state.hpp"
#include "net/node_log.hpp"

#include <cstdint>
#include <string>

namespace core {

class schedule_log {
public:
   explicit schedule_log(node_log& log) : log_(log) {}

   /// The state the node starts from: nothing is logged for what it already holds.
   void start(const block_header_state& head);
   /// Each accepted block, in the order the chain applies them.
   void on_block(const block_header_state& b);

   /// "version V: a, b, c".
   static std::string describe(const producer_authority_schedule& s);

private:
   node_log& log_;
   uint32_t active_version_ = 0;
   uint32_t pending_version_ = 0;
};

} // namespace core
