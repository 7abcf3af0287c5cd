#pragma once
/// Legacy DPoS block header state (Leap 5 chain/block_header_state.cpp): everything needed to
/// validate the next block header — schedule slots, confirmations, proposed LIB / LIB, pending
/// schedule promotion and the producer signature (PROTOCOL.md §5, §11).
#include "codec/result.hpp"
#include "codec/wire_types.hpp"
#include "crypto/checksum.hpp"
#include "crypto/private_key.hpp"
#include "crypto/signature.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"
#include "types/merkle.hpp"
#include "types/name.hpp"
#include "types/producer_schedule.hpp"
#include "types/time_types.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace core {

/// Consecutive 500 ms slots given to each scheduled producer (config::producer_repetitions).
inline constexpr uint32_t producer_repetitions = 12;
/// Most confirmation counters kept in confirm_count (config::maximum_tracked_dpos_confirmations).
inline constexpr std::size_t max_tracked_dpos_confirmations = 1024;
/// How far ahead of the caller's clock a block timestamp may be (project policy, not a
/// block_header_state rule in Leap): 15 s = 30 slots.
inline constexpr uint32_t max_block_future_slots = 30;

/// Producer name → block number; a sorted flat map as in Leap.
using producer_block_map = flat_map<name, uint32_t>;

struct pending_schedule_state {
   uint32_t schedule_lib_num = 0; ///< block that proposed the schedule; promoted when LIB reaches it
   checksum256 schedule_hash;     ///< sha256(pack(schedule as it appeared in the block))
   producer_authority_schedule schedule;
   bool operator==(const pending_schedule_state&) const = default;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(schedule_lib_num), CEREAL_NVP(schedule_hash), CEREAL_NVP(schedule));
   }
};

struct next_options {
   /// When set, reject a header more than max_block_future_slots after `now`.
   std::optional<block_timestamp> now;
   /// false skips producer-signature verification (used when building a block to sign it).
   bool verify_signee = true;
};

/// The state after a block. Immutable once built: next() returns a new state.
struct block_header_state {
   uint32_t block_num = 0;
   block_id_type id;
   signed_block_header header;
   uint32_t dpos_proposed_irreversible_blocknum = 0;
   uint32_t dpos_irreversible_blocknum = 0; ///< LIB implied by this block
   producer_authority_schedule active_schedule;
   pending_schedule_state pending_schedule;
   /// Ids of blocks 1..block_num-1 (this block's own id is appended by the next state).
   incremental_merkle blockroot_merkle;
   producer_block_map producer_to_last_produced;
   producer_block_map producer_to_last_implied_irb;
   block_signing_authority valid_block_signing_authority;
   std::vector<uint8_t> confirm_count; ///< outstanding confirmations of the newest unconfirmed blocks
   decoded_header_extensions header_exts;
   std::vector<signature> additional_signatures; ///< from block extension 2

   /// Stored form (the store keeps the LIB state and reversible states): every field but
   /// header_exts, which finish_unpack re-derives from the header.
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(block_num), CEREAL_NVP(id), CEREAL_NVP(header), CEREAL_NVP(dpos_proposed_irreversible_blocknum),
         CEREAL_NVP(dpos_irreversible_blocknum), CEREAL_NVP(active_schedule), CEREAL_NVP(pending_schedule),
         CEREAL_NVP(blockroot_merkle), CEREAL_NVP(producer_to_last_produced),
         CEREAL_NVP(producer_to_last_implied_irb), CEREAL_NVP(valid_block_signing_authority),
         CEREAL_NVP(confirm_count), CEREAL_NVP(additional_signatures));
   }
   decode_errc finish_unpack(std::string& detail);

   /// State of block 1 as Leap's controller initialises it: active = initial schedule, pending =
   /// initial schedule (lib num 0) with the hash of the legacy initial schedule, empty merkle.
   static block_header_state genesis(const genesis_state& g);

   /// producers[(slot % (N*12)) / 12] of the active schedule. Precondition: schedule not empty.
   const producer_authority& scheduled_producer(block_timestamp t) const;

   /// LIB a block produced by `producer_of_next_block` on top of this state would imply.
   uint32_t calc_dpos_last_irreversible(name producer_of_next_block) const;

   /// Legacy producer-signature digest of this state's header.
   checksum256 sig_digest() const;

   /// Validates `h` (with `additional` signatures from block extension 2) as the child of this
   /// state and returns the child's state. Errors: one line naming the block and the rule.
   result<block_header_state> next(const signed_block_header& h, std::span<const signature> additional = {},
                                   const next_options& opts = {}) const;
   /// As above, taking the additional signatures from the block's extension 2.
   result<block_header_state> next(const signed_block& b, const next_options& opts = {}) const;

   /// Producer side: signs `h` (producer_signature set in place) with `key` and returns the
   /// child state, fully verified.
   result<block_header_state> sign_next(signed_block_header& h, const private_key& key) const;

   /// Checks header.producer_signature and additional_signatures against
   /// valid_block_signing_authority as Leap's verify_signee does; returns the key recovered from
   /// producer_signature.
   result<public_key> verify_signee() const;
};

} // namespace core
