#pragma once
/// Opens the block log named by the shared source flags (--blocks-dir for nodeos files).
#include "blocklog/nodeos_block_log.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace blockdump {

struct source_options {
   std::string blocks_dir; ///< nodeos blocks.log / blocks.index
   std::string data_dir;   ///< the node's own store (p2pnode data dir)
};

/// Registers --blocks-dir / --data-dir (exactly one is required).
void add_source_options(CLI::App& cmd, source_options& o);

/// The opened nodeos log, or one line saying why not. Throws CLI::RequiredError (a usage
/// error) when neither source flag was given.
core::result<core::nodeos_block_log> open_source(const source_options& o);

/// Path of blocks.index beside the log.
std::filesystem::path index_path(const source_options& o);

} // namespace blockdump
