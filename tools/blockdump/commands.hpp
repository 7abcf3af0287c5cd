#pragma once
/// The blockdump subcommands, one file each (extract, trim and export are one range copy,
/// log_copy.cpp), in the tools' command pattern (cli/command.hpp, whose names are used here
/// unqualified); blockdump::run() registers them in this order.
#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string_view>

namespace blockdump {

using namespace core::cli; // the tool's own namespace speaks the command pattern's names

/// Writes "blockdump: <what>" as one line on `err` and returns exit_failure.
int fail(std::ostream& err, std::string_view what);

/// `info`: format, version, chain id, first/last block, count, head, index agreement. info_cmd.cpp.
command add_info_command(CLI::App& app, const streams& io);
/// `print`: blocks as JSON, one object per line (or --pretty, or --as-json-array), as
/// `spring-util block-log print-log` prints them (block_json.hpp). print_cmd.cpp.
command add_print_command(CLI::App& app, const streams& io);
/// `verify`: every block from genesis. verify_cmd.cpp.
command add_verify_command(CLI::App& app, const streams& io);
/// `stats`: blocks, bytes, transactions, producers, missed slots. stats_cmd.cpp.
command add_stats_command(CLI::App& app, const streams& io);
/// `extract`, `trim`, `export`: a range of blocks into a new log or data dir. log_copy.cpp.
command add_extract_command(CLI::App& app, const streams& io);
command add_trim_command(CLI::App& app, const streams& io);
command add_export_command(CLI::App& app, const streams& io);
/// `import`: blocks into a data dir through the controller. import_cmd.cpp.
command add_import_command(CLI::App& app, const streams& io);
/// `forkdb`: the reversible block tree of a data dir. forkdb_cmd.cpp.
command add_forkdb_command(CLI::App& app, const streams& io);
/// `repair`: a torn log cut to its last whole block, its index rebuilt. repair_cmd.cpp.
command add_repair_command(CLI::App& app, const streams& io);

} // namespace blockdump
