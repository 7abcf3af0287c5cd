#pragma once
/// `verify --partial`: the checks of a range of blocks that need no chain state from before it,
/// one block at a time. The range is contiguous and linked (each block's previous is the id of
/// the block before it; the first block's previous cannot be checked), timestamps strictly
/// increase, and each body passes body_checker (size, transaction_mroot, signatures,
/// expiration, TAPO, receipts, no transaction id twice within the range). Header-state rules —
/// producer schedule and signature, schedule_version, new_producers, confirmations, DPoS LIB —
/// are not checked.
#include "body_checker.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace blockdump {

class partial_checker {
public:
   /// `config`: the genesis configuration when a genesis is known, else the chain_config defaults.
   partial_checker(const core::checksum256& chain_id, const core::chain_config& config, uint32_t first_block_num);

   /// Checks `b` (whose id is `id`) as the next block of the range; on success records it.
   /// Returns an empty string or the reason, without the block number.
   std::string check_and_record(const core::signed_block& b, const core::block_id_type& id);

private:
   struct parent {
      core::block_id_type id;
      core::block_timestamp timestamp;
   };
   uint32_t next_num_;
   std::optional<parent> parent_; ///< the last block checked
   body_checker body_;
};

} // namespace blockdump
