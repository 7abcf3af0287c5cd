#pragma once
/// Spring's recorded Savanna chain (../shared/protocol/data/spring-deep-mind): its blocks from
/// blocks.log and, for blocks 4..35, what Spring's deep-mind trace says about each one
/// (ACCEPTED_BLOCK_V2: LIB, finality_data, active proposer and finalizer policies).
#include "types/block.hpp"
#include "types/finality_policies.hpp"
#include "types/genesis.hpp"

#include <cereal/cereal.hpp>

#include <optional>
#include <string>
#include <vector>

namespace test {

/// Spring's finalizer_policy_with_string_key (keys as "PUB_BLS_…" strings).
struct string_key_finalizer {
   std::string description;
   uint64_t weight = 0;
   std::string public_key;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(description), CEREAL_NVP(weight), CEREAL_NVP(public_key));
   }
};
struct string_key_finalizer_policy {
   uint32_t generation = 0;
   uint64_t threshold = 0;
   std::vector<string_key_finalizer> finalizers;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(generation), CEREAL_NVP(threshold), CEREAL_NVP(finalizers));
   }
};

/// Spring's finality_data_t (block_state.hpp), as deep-mind packs it.
struct finality_data {
   uint32_t major_version = 0;
   uint32_t minor_version = 0;
   uint32_t active_finalizer_policy_generation = 0;
   core::checksum256 action_mroot;
   core::checksum256 reversible_blocks_mroot;
   uint32_t latest_qc_claim_block_num = 0;
   core::checksum256 latest_qc_claim_finality_digest;
   core::block_timestamp latest_qc_claim_timestamp;
   core::checksum256 base_digest;
   std::optional<string_key_finalizer_policy> pending_finalizer_policy;
   uint32_t last_pending_finalizer_policy_generation = 0;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(major_version), CEREAL_NVP(minor_version), CEREAL_NVP(active_finalizer_policy_generation),
         CEREAL_NVP(action_mroot), CEREAL_NVP(reversible_blocks_mroot), CEREAL_NVP(latest_qc_claim_block_num),
         CEREAL_NVP(latest_qc_claim_finality_digest), CEREAL_NVP(latest_qc_claim_timestamp), CEREAL_NVP(base_digest),
         CEREAL_NVP(pending_finalizer_policy), CEREAL_NVP(last_pending_finalizer_policy_generation));
   }
};

/// One ACCEPTED_BLOCK_V2 line.
struct deep_mind_record {
   uint32_t block_num = 0;
   core::block_id_type id;
   uint32_t lib = 0; ///< Spring's LIB after applying the block
   core::signed_block block;
   finality_data finality;
   core::proposer_policy active_proposer_policy;
   string_key_finalizer_policy active_finalizer_policy;
};

struct deep_mind_chain {
   core::genesis_state genesis;
   std::vector<core::signed_block> blocks; ///< blocks.log: blocks[i] is block i + 1
   std::vector<deep_mind_record> records;  ///< in block order (blocks 4..35)

   const core::signed_block& block(uint32_t num) const { return blocks.at(num - 1); }
   /// The record of block `num`, or null for blocks without one.
   const deep_mind_record* record(uint32_t num) const;
};

/// Loaded once; throws (failing the test) when the data is missing or does not decode.
const deep_mind_chain& deep_mind();

} // namespace test
