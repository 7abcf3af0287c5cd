// `sync`: the sync manager's state as aligned key/value lines.
#include "commands.hpp"

namespace p2pctl {

command add_sync_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("sync", "sync stage, known LIB, requested and expected blocks, sync source");
   return {cmd, [&ctx] { return round_trip(ctx, request("sync"), {print_key_values}); }};
}

} // namespace p2pctl
