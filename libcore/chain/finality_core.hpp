#pragma once
/// Savanna's finality core (Spring chain/finality_core.hpp, .cpp): the QC links and block
/// references a block carries, from which its last final block (the LIB) follows by the
/// two-chain rule — a block is final once a strong QC is claimed on a block that claims a QC
/// on it.
///
/// Invariants (Spring's numbering), kept by genesis() and next():
///  1. links is not empty;
///  2. last_final_block_num() <= links.front().source <= latest_qc_claim().block_num;
///  3. refs empty ⇒ one link, source == target == last final (the genesis core);
///  4. refs not empty ⇒ refs.front() is the last final block == links.front().target;
///  5. refs not empty ⇒ refs.back().block_num() + 1 == links.back().source == current block;
///  6. refs are consecutive blocks with increasing timestamps;
///  7. links have consecutive sources and non-decreasing targets.
/// A plain value; thread-safe for const use.
#include "codec/result.hpp"
#include "crypto/checksum.hpp"
#include "types/block.hpp"
#include "types/finality_extension.hpp"
#include "types/time_types.hpp"

#include <cereal/cereal.hpp>

#include <cstdint>
#include <vector>

namespace core {

struct block_ref {
   block_id_type block_id;
   block_timestamp timestamp;
   checksum256 finality_digest;
   uint32_t active_policy_generation = 0;
   uint32_t pending_policy_generation = 0; ///< 0: no pending policy at the block

   bool empty() const { return block_id.empty(); }
   uint32_t block_num() const { return block_num_from_id(block_id); }

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(block_id), CEREAL_NVP(timestamp), CEREAL_NVP(finality_digest),
         CEREAL_NVP(active_policy_generation), CEREAL_NVP(pending_policy_generation));
   }
   bool operator==(const block_ref&) const = default;
};

struct qc_link {
   uint32_t source_block_num = 0;
   uint32_t target_block_num = 0; ///< <= source (equal only for the genesis block)
   bool is_link_strong = false;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(source_block_num), CEREAL_NVP(target_block_num), CEREAL_NVP(is_link_strong));
   }
   bool operator==(const qc_link&) const = default;
};

class finality_core {
public:
   std::vector<qc_link> links;   ///< ascending source_block_num
   std::vector<block_ref> refs;  ///< blocks last_final_block_num() .. current_block_num() - 1
   block_timestamp genesis_timestamp; ///< set for the genesis core only

   /// The core of the Savanna genesis block `id`: it is its own last final block and QC claim.
   static finality_core genesis(const block_id_type& id, block_timestamp timestamp);

   bool is_genesis_core() const { return refs.empty(); }
   uint32_t current_block_num() const { return links.back().source_block_num; }
   uint32_t last_final_block_num() const { return links.front().target_block_num; }
   block_timestamp last_final_block_timestamp() const;
   qc_claim latest_qc_claim() const { return {links.back().target_block_num, links.back().is_link_strong}; }
   block_timestamp latest_qc_block_timestamp() const;
   /// Whether block `id` is a reversible ancestor of the current block (Spring: extends()).
   bool extends(const block_id_type& id) const;
   bool is_genesis_block_num(uint32_t num) const;

   /// Precondition: last_final_block_num() <= num < current_block_num().
   const block_ref& get_block_reference(uint32_t num) const;
   /// Precondition: links.front().source_block_num <= num <= current_block_num().
   const qc_link& get_qc_link_from(uint32_t num) const;

   /// Savanna merkle of sha256(block_num ‖ timestamp ‖ finality_digest ‖ parent timestamp) over
   /// refs[1..]; zero when there are fewer than two refs.
   checksum256 reversible_blocks_mroot() const;

   /// The last final block and the QC claim a child making `claim` would have.
   /// Precondition: latest_qc_claim() <= claim, claim.block_num <= current_block_num().
   struct metadata {
      uint32_t last_final_block_num = 0;
      uint32_t latest_qc_claim_block_num = 0;
   };
   metadata next_metadata(const qc_claim& claim) const;

   /// The core of the child of `current_block` (the block this core belongs to) making `claim`.
   /// Errors (one line) when the preconditions above fail or current_block does not follow refs.
   result<finality_core> next(const block_ref& current_block, const qc_claim& claim) const;

   /// fc::raw form Spring hashes into base_digest: links, refs without their policy
   /// generations, genesis_timestamp.
   void pack_for_digest(byte_writer& w) const;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(links), CEREAL_NVP(refs), CEREAL_NVP(genesis_timestamp));
   }
   bool operator==(const finality_core&) const = default;
};

} // namespace core
