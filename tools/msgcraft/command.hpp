#pragma once
/// What msgcraft's subcommands share beyond the tools' command pattern (cli/command.hpp, whose
/// names are used here unqualified): the "msgcraft:" failure line, --type, and --pretty's JSON.
#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <string_view>

namespace msgcraft {

using namespace core::cli; // the tool's own namespace speaks the command pattern's names

/// Writes "msgcraft: <what>" as a single line on `err` and returns exit_failure.
int fail(std::ostream& err, std::string_view what);

/// `--type T`, checked against core::find_wire_type (an unknown name is a usage error).
CLI::Option* add_type_option(CLI::App& cmd, std::string& type);

/// Re-indents compact JSON text for --pretty (2 spaces). Input must be valid JSON.
std::string pretty_json(std::string_view compact);

} // namespace msgcraft
