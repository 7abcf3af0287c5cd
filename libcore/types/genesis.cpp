#include "types/genesis.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

namespace core {

checksum256 genesis_state::compute_chain_id() const { return sha256(pack(*this)); }

signed_block genesis_state::genesis_block() const {
   signed_block b;
   b.timestamp = block_timestamp::from_time_point(initial_timestamp);
   b.confirmed = 1;
   b.action_mroot = compute_chain_id();
   return b;
}

producer_schedule genesis_state::initial_schedule() const {
   return producer_schedule{0, {{"eosio"_n, initial_key}}};
}

} // namespace core
