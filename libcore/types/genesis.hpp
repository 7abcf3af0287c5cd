#pragma once
/// genesis_state and chain_config_v0 (chain/genesis_state.hpp, chain_config.hpp): the chain id
/// and block 1 (PROTOCOL.md §5, §11).
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "types/block.hpp"
#include "types/time_types.hpp"

#include <cereal/cereal.hpp>

namespace core {

/// chain_config_v0 with nodeos's defaults (chain/config.hpp).
struct chain_config {
   uint64_t max_block_net_usage = 1024 * 1024;
   uint32_t target_block_net_usage_pct = 1000;
   uint32_t max_transaction_net_usage = 512 * 1024;
   uint32_t base_per_transaction_net_usage = 12;
   uint32_t net_usage_leeway = 500;
   uint32_t context_free_discount_net_usage_num = 20;
   uint32_t context_free_discount_net_usage_den = 100;
   uint32_t max_block_cpu_usage = 200'000;
   uint32_t target_block_cpu_usage_pct = 1000;
   uint32_t max_transaction_cpu_usage = 150'000;
   uint32_t min_transaction_cpu_usage = 100;
   uint32_t max_transaction_lifetime = 60 * 60;
   uint32_t deferred_trx_expiration_window = 10 * 60;
   uint32_t max_transaction_delay = 45 * 24 * 3600;
   uint32_t max_inline_action_size = 512 * 1024;
   uint16_t max_inline_action_depth = 4;
   uint16_t max_authority_depth = 6;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(max_block_net_usage), CEREAL_NVP(target_block_net_usage_pct),
         CEREAL_NVP(max_transaction_net_usage), CEREAL_NVP(base_per_transaction_net_usage),
         CEREAL_NVP(net_usage_leeway), CEREAL_NVP(context_free_discount_net_usage_num),
         CEREAL_NVP(context_free_discount_net_usage_den), CEREAL_NVP(max_block_cpu_usage),
         CEREAL_NVP(target_block_cpu_usage_pct), CEREAL_NVP(max_transaction_cpu_usage),
         CEREAL_NVP(min_transaction_cpu_usage), CEREAL_NVP(max_transaction_lifetime),
         CEREAL_NVP(deferred_trx_expiration_window), CEREAL_NVP(max_transaction_delay),
         CEREAL_NVP(max_inline_action_size), CEREAL_NVP(max_inline_action_depth),
         CEREAL_NVP(max_authority_depth));
   }
   bool operator==(const chain_config&) const = default;
};

struct genesis_state {
   time_point initial_timestamp;
   public_key initial_key;
   chain_config initial_configuration;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(initial_timestamp), CEREAL_NVP(initial_key), CEREAL_NVP(initial_configuration));
   }
   bool operator==(const genesis_state&) const = default;

   /// sha256(pack(genesis_state)).
   checksum256 compute_chain_id() const;
   /// Block 1: timestamp = initial_timestamp, producer 0, confirmed 1, action_mroot = chain id.
   signed_block genesis_block() const;
   /// The initial legacy schedule {version 0, [{eosio, initial_key}]}.
   producer_schedule initial_schedule() const;
};

} // namespace core
