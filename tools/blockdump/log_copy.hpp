#pragma once
/// Copies a range of blocks of a source into a new nodeos version-3 log with its index, or into
/// a new data dir through the controller (shared by extract, trim and export).
#include "block_source.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>

namespace blockdump {

struct range_options {
   std::optional<uint32_t> first; ///< default: the source's first block
   std::optional<uint32_t> last;  ///< default: the source's last (irreversible) block
   std::string output_dir;
   std::string format = "nodeos";   ///< "nodeos" (blocks.log + blocks.index) or "data-dir"
   bool include_reversible = false; ///< data-dir sources: also the best reversible branch
};

/// Registers --format and --include-reversible.
void add_output_options(CLI::App& cmd, range_options& r);

/// Throws CLI::ValidationError (usage error) when first > last; call before opening the source.
void check_range_order(const range_options& r);

/// Writes blocks [first, last] of `src` to output_dir: as nodeos blocks.log + blocks.index
/// (bytes copied verbatim, so ids are preserved), or as a new data dir whose store is
/// initialised from the source's genesis and fed every block (needs first == 1). Throws
/// CLI::ValidationError when the range is outside the source. Returns the exit code; `what`
/// names the command in messages.
int copy_range(const block_source& src, const range_options& r, const char* what, std::ostream& out,
               std::ostream& err);

} // namespace blockdump
