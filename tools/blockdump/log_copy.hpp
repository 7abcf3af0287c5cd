#pragma once
/// Copies a range of blocks of a nodeos log into a new version-3 log with its index (shared by
/// extract, trim and export).
#include "blocklog/nodeos_block_log.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>

namespace blockdump {

struct range_options {
   std::optional<uint32_t> first; ///< default: the log's first block
   std::optional<uint32_t> last;  ///< default: the log's last block
   std::string output_dir;
};

/// Throws CLI::ValidationError (usage error) when first > last; call before opening the log.
void check_range_order(const range_options& r);

/// Writes blocks [first, last] of `log` (bytes copied verbatim, so ids are preserved) to
/// output_dir/blocks.log + blocks.index. Throws CLI::ValidationError when the range is outside
/// the log. Returns the exit code; `what` names the command in messages.
int copy_range(const core::nodeos_block_log& log, const range_options& r, const char* what, std::ostream& out,
               std::ostream& err);

} // namespace blockdump
