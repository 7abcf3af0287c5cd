#pragma once
/// What the protocol engine may read and do on the local chain: the sync view (head, LIB,
/// fork-db head, ids by number) plus offering blocks and transactions, the signature-recovery
/// pipeline and serving stored blocks. The node implements it over the controller
/// (node/controller_chain); tests and the fuzzer implement it over a few blocks in memory.
/// Thread affinity: the engine's thread.
#include "net/sync_types.hpp"
#include "types/producer_schedule.hpp"
#include "types/time_types.hpp"
#include "types/vote_message.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// What became of a block offered to the chain (the controller's block_status).
enum class block_verdict : uint8_t {
   applied,    ///< now part of the best chain
   forked,     ///< valid header, kept on a branch that is not the best
   duplicate,  ///< already known
   old,        ///< at or below the LIB
   unlinkable, ///< parent unknown
   invalid,    ///< failed validation (`error` says why)
   unavailable, ///< not looked at: the node cannot store blocks now (nothing said of the block)
};
std::string_view to_string(block_verdict v);

struct block_outcome {
   block_verdict verdict = block_verdict::invalid;
   std::string error;
};

/// What became of a transaction offered to the chain.
struct trx_outcome {
   bool accepted = false;
   transaction_id_type id;
   std::string error; ///< why it was refused
};

/// The producer schedules at the head, for BP gossip: legacy, the active and pending producer
/// schedules; Savanna, the active and latest pending proposer policies' schedules.
struct head_producer_schedules {
   block_timestamp head_time;
   producer_authority_schedule active;
   std::optional<producer_authority_schedule> pending;
};

class engine_chain : public sync_chain_view {
public:
   /// Header validation, fork database, fork choice, application. Relaying the block is the
   /// engine's (engine::on_block_validated, which the chain's owner calls once the header is valid).
   virtual block_outcome accept_block(std::shared_ptr<const signed_block> b) = 0;
   /// Starts recovering b's signatures on a worker pool, for an accept_block later.
   virtual void prefetch_block_keys(const std::shared_ptr<const signed_block>& b) = 0;
   /// The prefetch of block `id` has finished (or there is none).
   virtual bool block_keys_ready(const block_id_type& id) const = 0;
   /// Block on the best chain by number, or by id; null when not here.
   virtual std::shared_ptr<const signed_block> block_by_num(uint32_t num) const = 0;
   virtual std::shared_ptr<const signed_block> block_by_id(const block_id_type& id) const = 0;
   /// The LIB a node that applied block `id` has (legacy DPoS: its header state's
   /// dpos_irreversible_blocknum); nullopt when the block is not in the fork database.
   virtual std::optional<uint32_t> lib_as_of(const block_id_type& id) const = 0;
   /// Validates and queues transactions for production; one outcome each, in order.
   virtual std::vector<trx_outcome> push_transactions(std::span<const std::shared_ptr<const packed_transaction>> trxs) = 0;
   /// Drops queued transactions that expired at the head time.
   virtual void drop_expired_transactions() = 0;
   /// Checks a finalizer's vote (a known block, the key in the block's active or pending
   /// finalizer policy, the BLS signature) and aggregates it into the block's pending QC.
   virtual vote_status process_vote(const vote_message& v) = 0;
   /// The head's producer schedules (BP gossip checks its entries against their keys).
   virtual head_producer_schedules producer_schedules() const = 0;
};

} // namespace core
