#pragma once
/// Stateless transaction validation: every rule Leap 5 applies to an input transaction that needs
/// neither contract execution nor account state (PROTOCOL.md §0). Pure functions; the caller
/// supplies the chain view (TAPO lookup, duplicate index) and the recovered keys, so the checks
/// are unit-testable and signature recovery can be batched (see recovery_pool).
#include "chain/recovery_pool.hpp"
#include "codec/result.hpp"
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"
#include "types/time_types.hpp"
#include "types/transaction.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// Why a transaction is invalid; the Leap exception each maps to is noted.
enum class trx_errc : uint8_t {
   ok = 0,
   no_signatures,           ///< project rule (Leap: unsatisfied_authorization later)
   invalid_signature,       ///< fc public_key(sig, digest, canonical) throws
   duplicate_signature_key, ///< tx_duplicate_sig
   bad_extension,           ///< disallowed_transaction_extensions_bad_block_exception
   expired,                 ///< expired_tx_exception
   expiration_too_far,      ///< tx_exp_too_far_exception
   tapos_unknown_block,     ///< the referenced block is not known here (pruned / not synced)
   tapos_mismatch,          ///< invalid_ref_block_exception
   cfa_has_authorization,   ///< transaction_exception "context-free actions cannot have authorizations"
   no_authorization,        ///< tx_no_auths
   delay_too_long,          ///< project rule: delay_sec > max_transaction_delay (Leap caps the delay in check_authorization)
   net_usage_words_overflow,///< transaction_exception (transaction_header::validate)
   too_large,               ///< tx_net_usage_exceeded
   block_net_exceeded,      ///< block_net_usage_exceeded
   duplicate,               ///< tx_duplicate
};
std::string_view to_string(trx_errc e);

/// What the checks need to know about the chain. Callbacks are called on the checking thread.
struct trx_check_context {
   checksum256 chain_id;
   /// Timestamp of the block the transaction goes into (Leap's pending_block_time()).
   time_point pending_block_time;
   chain_config config;
   /// Number of the block the pending block builds on; TAPO resolves within its last 65,536.
   uint32_t head_block_num = 0;
   /// Net usage (bytes) already billed in the pending block; the block's remaining net limit is
   /// config.max_block_net_usage minus this.
   uint64_t block_net_used_bytes = 0;
   /// Id of block `num` on the current branch, or nullopt if unknown.
   std::function<std::optional<block_id_type>(uint32_t num)> tapos_block;
   /// True if the id is already recorded (unexpired) on this branch.
   std::function<bool(const transaction_id_type&, time_point_sec expiration)> is_duplicate;
};

struct trx_check_result {
   trx_errc code = trx_errc::ok;
   std::string detail;            ///< one line; empty when ok
   std::vector<public_key> keys;  ///< recovered keys, in signature order (complete only when ok)
   uint64_t net_usage_bytes = 0;  ///< billable net usage, rounded up to 8-byte words
   bool ok() const { return code == trx_errc::ok; }
};

/// Appends one recovery request per signature of `t` (digest = t.sig_digest(chain_id)). The
/// requests point into `t`, which must outlive their use.
void append_signature_requests(const packed_transaction& t, const checksum256& chain_id,
                               std::vector<recovery_request>& out);

/// Leap's initial net usage of an input transaction (transaction_context::init_for_input_trx):
/// base_per_transaction_net_usage + (16 + |packed_trx|) + ceil(prunable * cfd_num / cfd_den),
/// prunable = |pack(signatures)| + |packed_context_free_data|; for delay_sec > 0 another
/// base_per_transaction_net_usage + 32. Rounded up to 8-byte words (finalize).
uint64_t billable_net_usage_bytes(const packed_transaction& t, const chain_config& cfg);

/// Runs every stateless rule in Leap's order. `recovered` holds recover_key's result for each
/// signature of `t`, in order. `t` must be unpacked (decoded by the codec or built by make()).
trx_check_result check_transaction(const packed_transaction& t, const trx_check_context& ctx,
                                   std::span<const result<public_key>> recovered);

/// Convenience: recovers serially on this thread, then check_transaction.
trx_check_result check_transaction(const packed_transaction& t, const trx_check_context& ctx);

} // namespace core
