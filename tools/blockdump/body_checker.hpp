#pragma once
/// Transaction-level checks of a block body, one block at a time (core::validate_block_body:
/// signatures, expiration, TAPO, duplicates, net usage), with the history they need
/// (core::block_history: the last 65,536 block ids and the unexpired transaction ids).
/// `verify` uses the pipelined core::chain_replayer; this serves single-block checks.
#include "chain/block_validation.hpp"
#include "chain/recovery_pool.hpp"
#include "chain/replay.hpp"

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
   core::block_history history_;
   core::block_body_context ctx_;
   core::recovery_pool pool_;
};

} // namespace blockdump
