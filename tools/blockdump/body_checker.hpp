#pragma once
/// Transaction-level checks of a block body, one block at a time (core::validate_block_body:
/// signatures, expiration, TAPO, duplicates, net usage), with the history they need
/// (core::block_history: the last 65,536 block ids and the unexpired transaction ids).
/// `verify` uses the pipelined core::chain_replayer; this serves single-block checks and
/// `verify --partial` (partial_checker).
#include "chain/block_validation.hpp"
#include "chain/recovery_pool.hpp"
#include "chain/replay.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace blockdump {

class body_checker {
public:
   /// `config` is the genesis configuration; later setparams changes are not tracked.
   /// `known_from`: blocks below it are absent (a range that does not start at genesis). A TAPO
   /// reference to one of them cannot be checked against its id; instead the first reference
   /// to each fixes its ref_block_prefix, and later references must agree (one block per
   /// number on a chain). 0: every reference must resolve to a recorded block.
   body_checker(const core::checksum256& chain_id, const core::chain_config& config, uint32_t known_from = 0);
   body_checker(const body_checker&) = delete;
   body_checker& operator=(const body_checker&) = delete;

   /// Validates `b`'s body against the blocks recorded so far; on success records `b`. Returns
   /// an empty string or the reason ("receipt 0: bad_transaction/expired: ...").
   std::string check_and_record(const core::signed_block& b, const core::block_id_type& id);

   /// Records a block that is not checked, for TAPO (e.g. the parent of the first checked block).
   void record_block(uint32_t num, const core::block_id_type& id) { history_.record_block(num, id); }

private:
   /// Fixes the assumed id of each block below known_from_ that `b`'s transactions reference.
   void assume_unknown_references(const core::signed_block& b);

   uint32_t known_from_;
   core::block_history history_;
   /// Block number below known_from_ → an id carrying only the number and the first
   /// ref_block_prefix seen for it; at most tapos_window_blocks entries.
   std::map<uint32_t, core::block_id_type> assumed_;
   core::block_body_context ctx_;
   core::recovery_pool pool_;
};

} // namespace blockdump
