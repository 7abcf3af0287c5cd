#pragma once
/// The default local development network: one producer, eosio, signing with the well-known
/// development key, nodeos's default chain_config, and a fixed initial timestamp, so every
/// devnet built from it shares one chain id.
#include "codec/result.hpp"
#include "types/genesis.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace core {

/// The development key pair every Antelope tutorial uses. Never use it on a public network.
inline constexpr std::string_view devnet_private_key_wif = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
inline constexpr std::string_view devnet_public_key = "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV";
/// Initial timestamp of the devnet genesis (UTC).
inline constexpr std::string_view devnet_initial_timestamp = "2026-01-01T00:00:00.000";

/// initial_key = devnet_public_key, initial_timestamp = devnet_initial_timestamp, default chain_config.
genesis_state devnet_genesis();

/// `g` as a nodeos genesis.json document (pretty-printed, trailing newline).
std::string to_genesis_json(const genesis_state& g);

/// nodeos's default genesis_state (eosio::chain::genesis_state()): initial_timestamp
/// 2018-06-01T12:00:00, initial_key the eosio root key (devnet_public_key), default chain_config.
genesis_state nodeos_default_genesis();

/// Reads a nodeos genesis.json (a regular file of at most 1 MiB). As nodeos does, a member it
/// leaves out (initial_configuration or any of its fields, even initial_timestamp or
/// initial_key) takes its value from nodeos_default_genesis(). Error: one line naming the file
/// and what is wrong.
result<genesis_state> read_genesis_json(const std::filesystem::path& path);

/// Writes to_genesis_json(g) to `path` (replacing it). Error: one line naming the file.
result<bool> write_genesis_json(const genesis_state& g, const std::filesystem::path& path);

} // namespace core
