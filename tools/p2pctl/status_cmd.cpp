// `status`: the node's head, LIB, sync state and identity as aligned key/value lines.
#include "commands.hpp"

namespace p2pctl {

command add_status_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("status", "head, LIB, fork-database head, sync state and identity");
   return {cmd, [&ctx] { return round_trip(ctx, request("status"), {print_key_values}); }};
}

} // namespace p2pctl
