#include "p2pctl.hpp"

#include "commands.hpp"

#include <fmt/format.h>

#ifndef P2PCTL_VERSION
#define P2PCTL_VERSION "unknown"
#endif

namespace p2pctl {

namespace {
/// Longest --timeout: a day (a longer one is a typo, and milliseconds of it must fit the clock).
constexpr double max_timeout_s = 86400;

/// The shared flags, on the main app; subcommands fall through to them, so they may also follow
/// the command name.
void add_global_options(CLI::App& app, options& opt) {
   auto* dd = core::cli::add_data_dir_option(app, opt.data_dir);
   auto* so = app.add_option("-s,--socket", opt.socket,
                             "control socket path (default: $P2PNODE_SOCKET, else ./p2pnode.sock)");
   dd->excludes(so);
   so->excludes(dd);
   core::cli::add_json_flag(app, opt.json);
   app.add_option("--timeout", opt.timeout_s, "seconds to wait for the connection and each reply (default 10)")
      ->check(CLI::Validator(
         [](const std::string& v) -> std::string {
            double s = 0;
            if (!CLI::detail::lexical_cast(v, s) || !(s > 0) || s > max_timeout_s)
               return fmt::format("expected a number of seconds above 0 and at most {}, not {}", max_timeout_s, v);
            return {};
         },
         "SECONDS"));
}
} // namespace

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
   const streams io{in, out, err};
   options opt;
   const context ctx{io, opt};
   CLI::App app("Talk to a running p2pnode over its control socket", "p2pctl");
   app.set_version_flag("--version", "p2pctl " P2PCTL_VERSION);
   app.require_subcommand(1);
   add_global_options(app, opt);
   const std::vector<command> commands = {
      add_status_command(app, ctx),  add_peers_command(app, ctx), add_connect_command(app, ctx),
      add_disconnect_command(app, ctx), add_sync_command(app, ctx), add_block_command(app, ctx),
      add_push_transaction_command(app, ctx), add_metrics_command(app, ctx), add_watch_command(app, ctx),
      add_top_command(app, ctx),
      add_activate_savanna_command(app, ctx), add_bp_gossip_peers_command(app, ctx),
   };
   for (const auto& c : commands)
      c.app->fallthrough();
   return core::cli::run(app, commands, args, io, exit_refused);
}

} // namespace p2pctl
