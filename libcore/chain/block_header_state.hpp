#pragma once
/// A block's header state: everything needed to validate the next block header.
///
/// Legacy DPoS (Leap 5 chain/block_header_state.cpp; PROTOCOL.md §5, §11): schedule slots,
/// confirmations, proposed LIB / LIB, pending schedule promotion, and the producer signature
/// over the legacy digest. Savanna (Spring block_header_state.cpp, block_state.cpp; §16): from
/// the Savanna genesis block (the first to carry a finality extension) every state also has a
/// `savanna` part. Transition blocks — the genesis and its successors up to the critical block,
/// whose DPoS LIB reaches the genesis — are still validated and signed the legacy way; the
/// blocks after the critical one are proper Savanna blocks: schedule_version 0x80000000,
/// producers from proposer policies, the signature over the block id, LIB from the finality core.
#include "chain/savanna_state.hpp"
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
   /// The block's Savanna action merkle root (Savanna merkle of its action receipt digests),
   /// when the caller knows it. With it, a Savanna state whose parent has a finality tree gets
   /// one too, and a proper block's finality mroot is checked against it; without it the
   /// finality mroot is carried (the QCs on the block certify it).
   std::optional<checksum256> savanna_action_mroot = std::nullopt;
};

/// The activated protocol features (Spring's protocol_feature_activation_set), ascending.
using protocol_feature_set = std::vector<checksum256>;

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
   /// Never null once built (genesis(), next()); shared until a block activates features.
   std::shared_ptr<const protocol_feature_set> activated_features;
   /// From the Savanna genesis block on (null for legacy blocks).
   std::shared_ptr<const savanna_state> savanna;

   /// Stored form (the store keeps the LIB state and reversible states): every field but
   /// header_exts and the Savanna digests, which finish_unpack re-derives from the header.
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(block_num), CEREAL_NVP(id), CEREAL_NVP(header), CEREAL_NVP(dpos_proposed_irreversible_blocknum),
         CEREAL_NVP(dpos_irreversible_blocknum), CEREAL_NVP(active_schedule), CEREAL_NVP(pending_schedule),
         CEREAL_NVP(blockroot_merkle), CEREAL_NVP(producer_to_last_produced),
         CEREAL_NVP(producer_to_last_implied_irb), CEREAL_NVP(valid_block_signing_authority),
         CEREAL_NVP(confirm_count), CEREAL_NVP(additional_signatures), CEREAL_NVP(activated_features),
         CEREAL_NVP(savanna));
   }
   decode_errc finish_unpack(std::string& detail);

   // ---- Savanna ----
   bool is_savanna() const { return savanna != nullptr; }
   bool is_proper_savanna() const { return header.is_proper_savanna(); }
   /// A transition block whose DPoS LIB reached the Savanna genesis: the next block is proper.
   bool is_savanna_critical() const;
   /// Number of the Savanna genesis block of a transition block.
   std::optional<uint32_t> savanna_genesis_block_num() const;
   /// The LIB this block implies (Spring's irreversible_blocknum): DPoS for legacy blocks, the
   /// lesser of the DPoS LIB and the Savanna genesis for transition blocks, the finality core's
   /// last final block for proper Savanna blocks.
   uint32_t irreversible_blocknum() const;
   /// The producer of a child at `t`: the legacy schedule slot, or (after the critical block)
   /// Spring's get_producer_for_block_at over the proposer policies.
   const producer_authority& producer_for_block_at(block_timestamp t) const;
   /// Spring's get_active_proposer_policy_for_block_at: the proposer policy a child at `t`
   /// is produced under. Precondition: a Savanna state, t after this block.
   const proposer_policy_ptr& active_proposer_policy_for_block_at(block_timestamp t) const;
   /// This block's reference in a finality core (finality digest and policy generations).
   block_ref make_block_ref() const;
   /// The policies a QC on block `num` (this block or a reversible ancestor its QC claim
   /// covers) is checked against. Error: not a Savanna state, or num out of that range.
   result<qc_policies> qc_policies_for(uint32_t num) const;

   /// State of block 1 as Leap's controller initialises it: active = initial schedule, pending =
   /// initial schedule (lib num 0) with the hash of the legacy initial schedule, empty merkle.
   static block_header_state genesis(const genesis_state& g);

   /// producers[(slot % (N*12)) / 12] of the active schedule. Precondition: schedule not empty.
   const producer_authority& scheduled_producer(block_timestamp t) const;

   /// LIB a block produced by `producer_of_next_block` on top of this state would imply.
   uint32_t calc_dpos_last_irreversible(name producer_of_next_block) const;

   /// Legacy producer-signature digest of this state's header.
   checksum256 sig_digest() const;

   /// Validates `h` with its decoded block extensions as the child of this state and returns
   /// the child's state. Errors: one line naming the block and the rule. A proper Savanna
   /// block's QC is checked here against its claim and its policies (votes, weights,
   /// threshold); its aggregate signature is not (verify_qc_signature, on the pool).
   result<block_header_state> next_with_extensions(const signed_block_header& h, const decoded_block_extensions& bx,
                                   const next_options& opts = {}) const;
   /// As above for a header whose block extensions hold only `additional` signatures.
   result<block_header_state> next(const signed_block_header& h, std::span<const signature> additional = {},
                                   const next_options& opts = {}) const;
   /// As above, decoding the block's extensions.
   result<block_header_state> next(const signed_block& b, const next_options& opts = {}) const;

   /// Producer side: signs `h` (producer_signature set in place) with `key` and returns the
   /// child state, fully verified.
   result<block_header_state> sign_next(signed_block_header& h, const private_key& key) const;

   /// Checks header.producer_signature and additional_signatures against
   /// valid_block_signing_authority as Leap's verify_signee does; returns the key recovered from
   /// producer_signature. The signatures are over sig_digest() for legacy and transition
   /// blocks, over the block id for proper Savanna blocks.
   result<public_key> verify_signee() const;
   /// What the producer signs: sig_digest() or the block id (proper Savanna blocks).
   checksum256 signing_digest() const;

private:
   /// Sets what child `r` takes from its block, legacy or Savanna: the header, id and decoded
   /// extensions, the additional signatures, and activated_features plus the features the block
   /// activates (error when one is already active).
   result<bool> take_block(block_header_state& r, const signed_block_header& h, decoded_header_extensions exts,
                           const decoded_block_extensions& bx) const;
   result<block_header_state> next_legacy(const signed_block_header& h, const decoded_header_extensions& exts,
                                          const decoded_block_extensions& bx, const next_options& opts) const;
   result<block_header_state> next_proper(const signed_block_header& h, decoded_header_extensions exts,
                                          const decoded_block_extensions& bx, const next_options& opts) const;
   /// The Savanna state of child `r` (header, id and features set) from this one (Spring's
   /// finish_next), with the checks of block_header_state::next(h). Transition and proper.
   result<std::shared_ptr<const savanna_state>> next_savanna(const block_header_state& r,
                                                            const next_options& opts) const;
   /// The Savanna state of the genesis block `g` (Spring's create_if_genesis_block).
   static result<std::shared_ptr<const savanna_state>> savanna_genesis(const block_header_state& g,
                                                                      const next_options& opts);
};

} // namespace core
