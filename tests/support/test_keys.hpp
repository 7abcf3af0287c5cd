#pragma once
/// Keys and a genesis shared by the chain-level tests: the well-known development key, keys
/// derived from a seed (secret = sha256(seed)), and a genesis signed by the development key.
#include "crypto/private_key.hpp"
#include "crypto/sha256.hpp"
#include "types/genesis.hpp"

#include <stdexcept>
#include <string_view>

namespace test {

/// 5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3 (EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV).
inline core::private_key dev_key() {
   auto k = core::private_key::from_string("5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3");
   if (!k)
      throw std::logic_error(k.error());
   return *k;
}

/// The K1 key whose secret is sha256(seed).
inline core::private_key key_for(std::string_view seed) {
   auto secret = core::sha256(seed);
   auto k = core::private_key::from_secret(std::span<const uint8_t, 32>(secret.data.data(), 32));
   if (!k)
      throw std::logic_error(k.error());
   return *k;
}

/// Default chain_config, initial_timestamp 2020-01-01T00:00:00.000, initial key = dev_key().
inline core::genesis_state dev_genesis() {
   core::genesis_state g;
   g.initial_timestamp = core::time_point{1577836800LL * 1000000};
   g.initial_key = dev_key().get_public_key();
   return g;
}

} // namespace test
