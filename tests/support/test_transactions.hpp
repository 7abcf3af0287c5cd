#pragma once
/// The signed transaction the chain, node, integration and network tests and benchmarks push:
/// one eosio.token::transfer carrying `data` as its action data.
#include "crypto/private_key.hpp"
#include "types/block.hpp"
#include "types/transaction.hpp"

#include <cstdint>
#include <string_view>

namespace test {

/// eosio.token::transfer authorised by `actor`@active with `data` as its action data, TAPoS to
/// block (ref_num, ref_id), expiring at `expiration`, signed with `key` for `chain_id`.
inline core::packed_transaction signed_transfer(const core::checksum256& chain_id, uint32_t ref_num,
                                                const core::block_id_type& ref_id, core::time_point_sec expiration,
                                                std::string_view data, const core::private_key& key, core::name actor) {
   using core::operator""_n;
   core::transaction t;
   t.expiration = expiration;
   t.ref_block_num = static_cast<uint16_t>(ref_num & 0xffff);
   t.ref_block_prefix = core::ref_block_prefix(ref_id);
   core::action a;
   a.account = "eosio.token"_n;
   a.name = "transfer"_n;
   a.authorization.push_back({actor, "active"_n});
   a.data.assign(data.begin(), data.end());
   t.actions.push_back(std::move(a));
   auto unsigned_trx = core::packed_transaction::make(t, {});
   return core::packed_transaction::make(t, {key.sign(unsigned_trx.sig_digest(chain_id))});
}

} // namespace test
