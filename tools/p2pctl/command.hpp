#pragma once
/// What every p2pctl subcommand shares beyond the tools' command pattern (cli/command.hpp,
/// whose names are used here unqualified): its exit codes, the global options, the request/reply
/// round trip and the JSON output helpers.
#include "control_client.hpp"

#include "cli/command.hpp"

#include <CLI/CLI.hpp>
#include <rapidjson/document.h>

#include <chrono>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>
#include <string_view>

namespace p2pctl {

using namespace core::cli; // the tool's own namespace speaks the command pattern's names

/// Exit codes (documented in p2pctl(1)) beyond exit_ok and exit_usage.
inline constexpr int exit_refused = core::cli::exit_failure; ///< ok:false from the node, or unreadable input
inline constexpr int exit_unreachable = 3;                   ///< no socket, refused, timeout, reply not JSON

/// The options every command shares (registered once on the main app, usable after the command).
struct options {
   std::string data_dir;
   std::string socket;
   bool json = false;
   double timeout_s = 10;
   /// --socket, else <--data-dir>/p2pnode.sock, else $P2PNODE_SOCKET, else ./p2pnode.sock.
   std::string socket_path() const;
   std::chrono::milliseconds timeout() const;
};

/// Everything a command's run function needs.
struct context {
   const streams& io;
   const options& opt;
};

/// How a successful reply's `result` object is printed.
struct printer {
   /// Human text (used without --json).
   std::function<void(const rapidjson::Value& result, std::ostream& out)> text;
   /// --json output; when empty, the result as one compact line.
   std::function<void(const rapidjson::Value& result, std::ostream& out)> json = {};
};

/// Sends `request_line` and prints the reply: its result through `p` when ok, else
/// "p2pctl: <error>" on stderr (and the whole reply on stdout with --json). Returns the exit code.
int round_trip(const context& ctx, const std::string& request_line, const printer& p);

/// Connects, sends `request_line` and reads its reply into `reply`. Returns the open connection
/// when the node answered ok:true; otherwise nullopt with `code` set and the reason printed:
/// exit_unreachable (no socket, timeout, a reply that is not a JSON object with a boolean "ok",
/// naming the socket) or exit_refused (ok:false: the whole reply on stdout with --json,
/// "p2pctl: <error>" on stderr).
std::optional<control_client> request_accepted(const context& ctx, const std::string& request_line,
                                               rapidjson::Document& reply, int& code);

/// Writes "p2pctl: <what>" as a single line on `err` and returns `code`.
int fail(std::ostream& err, std::string_view what, int code);

// JSON helpers.
/// `{"cmd":"<cmd>"}` and friends: builds a request object with rapidjson (strings escaped).
std::string request(std::string_view cmd);
std::string request(std::string_view cmd, std::string_view key, std::string_view value);
std::string compact(const rapidjson::Value& v);
std::string pretty(const rapidjson::Value& v); ///< 2-space indent
/// A value as a table cell: strings raw, null "-", arrays of scalars joined by ", ", else JSON.
std::string cell(const rapidjson::Value& v);
/// `obj[key]` when obj is an object holding it, else nullptr.
const rapidjson::Value* member(const rapidjson::Value& obj, const char* key);
/// Prints an object's members as "key<pad>: value" lines, colons aligned.
void print_key_values(const rapidjson::Value& obj, std::ostream& out);
/// Prints rows as an aligned table: cells two spaces apart, each column as wide as its widest
/// cell, left-aligned (the last one unpadded) unless `right` says otherwise.
void print_aligned(const std::vector<std::vector<std::string>>& rows, std::ostream& out,
                   const std::vector<bool>& right = {});
/// Prints each element of the array member `key` of `result` as one compact JSON line.
void print_json_lines(const rapidjson::Value& result, const char* key, std::ostream& out);

} // namespace p2pctl
