#pragma once
/// Copies a range of blocks of a source into a new nodeos version-3 log with its index, or into
/// a new data dir through the controller. extract, trim and export are this one command with
/// different range flags and help (add_range_copy_command).
#include "block_source.hpp"
#include "commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace blockdump {

struct range_options {
   std::optional<uint32_t> first; ///< default: the source's first block
   std::optional<uint32_t> last;  ///< default: the source's last (irreversible) block
   std::string output_dir;
   std::string format = "nodeos";   ///< "nodeos" (blocks.log + blocks.index) or "data-dir"
   bool include_reversible = false; ///< data-dir sources: also the best reversible branch
};

/// Which of --first / --last a range-copy command takes.
enum class range_flags : uint8_t {
   none,     ///< neither: the whole source (export)
   optional, ///< both, each defaulting to the source's end (trim)
   required, ///< both, required (extract)
};

/// What distinguishes one range-copy command from another; the strings are its help text.
struct range_command {
   const char* name;
   const char* description;
   range_flags range = range_flags::none;
   const char* first_help = ""; ///< unused with range_flags::none
   const char* last_help = "";
};

/// Registers `spec` on `app`: --blocks-dir / --data-dir, the range flags, --output-dir, --format
/// and --include-reversible; its run function checks the range order (a usage error), opens the
/// source (exit 1 when it does not open) and returns copy_range's result.
command add_range_copy_command(CLI::App& app, const range_command& spec, const streams& io);

/// Writes blocks [first, last] of `src` to output_dir: as nodeos blocks.log + blocks.index
/// (bytes copied verbatim, so ids are preserved), or as a new data dir whose store is
/// initialised from the source's genesis and fed every block (needs first == 1). Throws
/// CLI::ValidationError when the range is outside the source. Returns the exit code; `what`
/// names the command in messages.
int copy_range(const block_source& src, const range_options& r, const char* what, std::ostream& out,
               std::ostream& err);

} // namespace blockdump
