#include "partial_checker.hpp"

#include <fmt/format.h>

namespace blockdump {

partial_checker::partial_checker(const core::checksum256& chain_id, const core::chain_config& config,
                                 uint32_t first_block_num)
   : next_num_(first_block_num), body_(chain_id, config, first_block_num - 1) {}

std::string partial_checker::check_and_record(const core::signed_block& b, const core::block_id_type& id) {
   // The rules of block_header_state::next that need only the parent block, worded as there.
   if (parent_ && b.previous != parent_->id)
      return fmt::format("previous {} does not link to {}", b.previous.to_string(), parent_->id.to_string());
   if (b.block_num() != next_num_)
      return fmt::format("block number {} where block {} was expected", b.block_num(), next_num_);
   if (parent_ && b.timestamp <= parent_->timestamp)
      return fmt::format("timestamp {} is not after parent timestamp {}", b.timestamp.to_string(),
                         parent_->timestamp.to_string());
   if (!parent_)
      body_.record_block(b.block_num() - 1, b.previous); // the parent's id, for TAPO
   if (auto e = body_.check_and_record(b, id); !e.empty())
      return e;
   parent_ = parent{id, b.timestamp};
   ++next_num_;
   return {};
}

} // namespace blockdump
