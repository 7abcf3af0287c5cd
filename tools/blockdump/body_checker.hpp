#pragma once
/// Transaction-level checks of a block body for `verify` (core::validate_block_body: signatures,
/// expiration, TAPO, duplicates, net usage), with the history they need: the ids of the last
/// 65,536 blocks (Leap's block_summary window) and the unexpired transaction ids.
#include "chain/block_validation.hpp"
#include "chain/recovery_pool.hpp"

#include <array>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace blockdump {

class body_checker {
public:
   /// `config` is the genesis configuration; later setparams changes are not tracked.
   body_checker(const core::checksum256& chain_id, const core::chain_config& config);

   /// Validates `b`'s body against the blocks recorded so far; on success records `b`. Returns
   /// an empty string or the reason ("receipt 0: bad_transaction/expired: ...").
   std::string check_and_record(const core::signed_block& b, const core::block_id_type& id);

private:
   /// TAPO references at most 2^16 - 1 blocks back (ref_block_num is 16 bits).
   static constexpr std::size_t tapos_window_blocks = 1u << 16;

   core::block_body_context ctx_;
   core::recovery_pool pool_;
   std::unique_ptr<std::array<std::pair<uint32_t, core::block_id_type>, tapos_window_blocks>> recent_;
   std::set<core::transaction_id_type> live_ids_;
   std::multimap<uint32_t, core::transaction_id_type> by_expiration_; ///< expiration (s) → id
};

} // namespace blockdump
