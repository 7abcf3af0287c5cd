#pragma once
/// What every msgcraft subcommand shares: the streams it talks to, the exit codes, the handle by
/// which run() dispatches to it, and the flags registered the same way everywhere.
#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace msgcraft {

/// The process's streams, passed in so that tests run commands in-process.
struct streams {
   std::istream& in;
   std::ostream& out; ///< data only
   std::ostream& err; ///< diagnostics only
};

/// Exit codes (documented in msgcraft(1)).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1; ///< bad input: one "msgcraft: ..." line on stderr
inline constexpr int exit_usage = 2;   ///< bad command line: CLI11's message on stderr

/// A registered subcommand: its CLI11 node and what to run when the command line selected it.
struct command {
   CLI::App* app;
   std::function<int()> run;
};

/// A usage error found after parsing (a flag that does not apply to the chosen type, ...).
/// run() reports it exactly like CLI11's own errors and exits with exit_usage.
struct usage_error : CLI::ValidationError {
   using CLI::ValidationError::ValidationError;
};

/// Writes "msgcraft: <what>" as a single line on `err` and returns exit_failure.
int fail(std::ostream& err, std::string_view what);

/// `--json`: one JSON object per line instead of aligned text.
CLI::Option* add_json_flag(CLI::App& cmd, bool& json);

/// `--type T`, checked against core::find_wire_type (an unknown name is a usage error).
CLI::Option* add_type_option(CLI::App& cmd, std::string& type);

/// Re-indents compact JSON text for --pretty (2 spaces). Input must be valid JSON.
std::string pretty_json(std::string_view compact);

} // namespace msgcraft
