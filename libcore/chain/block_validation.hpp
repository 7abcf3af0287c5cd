#pragma once
/// Validation of a block's body without contract execution: transaction merkle root, size,
/// duplicate ids, every input transaction's signatures (recovered in one parallel batch) and
/// check_transaction against the block's timestamp, and each receipt's billed net usage.
/// Header checks (producer, signature, schedule) live in block_header_state.
#include "chain/recovery_pool.hpp"
#include "chain/transaction_checks.hpp"
#include "codec/result.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

enum class block_errc : uint8_t {
   ok = 0,
   block_too_large,          ///< packed block > max_block_net_usage
   transaction_mroot_mismatch,
   duplicate_transaction,    ///< the same id twice in the block
   receipt_mismatch,         ///< status / net_usage_words differ from what Leap would bill
   bad_transaction,          ///< check_transaction failed (see trx_code)
};
std::string_view to_string(block_errc e);

struct block_body_context {
   checksum256 chain_id;
   chain_config config;
   /// Id of block `num` on the branch the block extends (num < the block's number).
   std::function<std::optional<block_id_type>(uint32_t num)> tapos_block;
   /// True if the id is already recorded (unexpired) on that branch.
   std::function<bool(const transaction_id_type&, time_point_sec expiration)> is_duplicate;
};

struct block_body_failure {
   block_errc code = block_errc::ok;
   std::optional<std::size_t> receipt_index;
   trx_errc trx_code = trx_errc::ok; ///< set when code == bad_transaction
   std::string detail;
   /// "receipt 3: bad_transaction/expired: …"
   std::string to_string() const;
};

/// An input transaction accepted with the block, for the duplicate index.
struct validated_transaction {
   transaction_id_type id;
   time_point_sec expiration;
};

/// Validates `b`'s body. Recovery of every signature in the block runs on `pool` (and the
/// calling thread); everything else runs on the calling thread, as do the context callbacks.
/// Receipts holding only an id (deferred transactions) are counted for net usage but not checked.
result<std::vector<validated_transaction>, block_body_failure>
validate_block_body(const signed_block& b, const block_body_context& ctx, recovery_pool& pool);

/// One recovery request per signature of every input transaction of `b`, in receipt order (the
/// batch validate_block_body recovers). The requests point into `b`.
std::vector<recovery_request> block_signature_requests(const signed_block& b, const checksum256& chain_id);

/// As above with the signatures already recovered (e.g. ahead of time on a pool): `recovered`
/// holds recover_key's result for each request of block_signature_requests(b, ctx.chain_id), in
/// order. Same checks, same order, same results; runs entirely on the calling thread.
result<std::vector<validated_transaction>, block_body_failure>
validate_block_body(const signed_block& b, const block_body_context& ctx,
                    std::span<const result<public_key>> recovered);

} // namespace core
