#pragma once
/// Reads a nodeos genesis.json.
#include "codec/result.hpp"
#include "types/genesis.hpp"

#include <filesystem>

namespace blockdump {

/// The genesis state in `path`, or one line naming the file and what is wrong.
core::result<core::genesis_state> read_genesis_json(const std::filesystem::path& path);

} // namespace blockdump
