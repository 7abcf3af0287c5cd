#pragma once
/// cli layer: the command pattern of the four tools (msgcraft, p2pctl, blockdump, p2pnode), over
/// CLI11 only; p2pnode's options (node/node_config) use its shared flags too. A tool is a
/// CLI::App whose subcommands — or the app itself, for a tool without any — are `command`s: a
/// CLI11 node with its options and help, and the function that runs it once the command line
/// has selected it. cli::run() is the one place that parses, dispatches and catches; the shared
/// flags are registered by one helper each, with one help text. Every tool's run() takes its
/// argv and streams, so tests run it in-process.
#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace core::cli {

/// The process's streams, passed in so that tests run commands in-process.
struct streams {
   std::istream& in;
   std::ostream& out; ///< data only
   std::ostream& err; ///< diagnostics only
};

/// Exit codes every tool documents in its man page; a tool may add its own (p2pctl: 3).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1; ///< the operation failed: one "<tool>: why" line on err
inline constexpr int exit_usage = 2;   ///< a bad command line: one "<tool>: why" line on err

/// A registered command: its CLI11 node and what to run when the command line selected it.
struct command {
   CLI::App* app;
   std::function<int()> run;
};

/// A usage error found after parsing (a flag that does not apply, a range outside the input):
/// thrown from a command's run function, reported as CLI11's own errors are, exit 2.
struct usage_error : CLI::ValidationError {
   using CLI::ValidationError::ValidationError;
};

/// `--json`: one JSON object per line instead of aligned text.
CLI::Option* add_json_flag(CLI::App& cmd, bool& json);
/// `--data-dir,-d DIR`: a p2pnode data directory.
CLI::Option* add_data_dir_option(CLI::App& cmd, std::string& dir);
/// `--log-level LEVEL`: debug, info, warn or error (checked).
CLI::Option* add_log_level_option(CLI::App& cmd, std::string& level);

/// Writes "<tool>: <what>" as one line (line breaks in `what` become spaces) and returns `code`.
int fail(std::ostream& err, std::string_view tool, std::string_view what, int code = exit_failure);

/// Parses `args` (without the program name) into `app` and runs the selected command,
/// returning its exit code. `app`'s name is the tool's, used in messages. --help and --version
/// print to out and exit 0. A bad command line, or a CLI::ParseError (usage_error) thrown by a
/// command, prints one "<tool>: why" line on err and exits 2, naming the unknown option or
/// command when the command line holds one. std::bad_alloc and other exceptions print
/// "<tool>: out of memory" / "<tool>: internal error: ..." and exit `internal_error`.
int run(CLI::App& app, const std::vector<command>& commands, std::vector<std::string> args, const streams& io,
        int internal_error = exit_failure);

} // namespace core::cli
