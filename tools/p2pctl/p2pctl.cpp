#include "p2pctl.hpp"

#include "commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <new>
#include <ostream>

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
   auto* dd = app.add_option("-d,--data-dir", opt.data_dir, "p2pnode data directory (socket <DIR>/p2pnode.sock)");
   auto* so = app.add_option("-s,--socket", opt.socket,
                             "control socket path (default: $P2PNODE_SOCKET, else ./p2pnode.sock)");
   dd->excludes(so);
   so->excludes(dd);
   app.add_flag("--json", opt.json, "machine output: one compact JSON object per line");
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
   try {
      CLI::App app("Talk to a running p2pnode over its control socket", "p2pctl");
      app.set_version_flag("--version", "p2pctl " P2PCTL_VERSION);
      app.require_subcommand(1);
      add_global_options(app, opt);
      const std::vector<command> commands = {
         add_status_command(app, ctx),  add_peers_command(app, ctx), add_connect_command(app, ctx),
         add_disconnect_command(app, ctx), add_sync_command(app, ctx), add_block_command(app, ctx),
         add_push_transaction_command(app, ctx), add_metrics_command(app, ctx), add_watch_command(app, ctx),
      };
      for (const auto& c : commands)
         c.app->fallthrough();
      try {
         std::vector<std::string> rev(args.rbegin(), args.rend()); // CLI11 consumes from the back
         app.parse(rev);
      } catch (const CLI::Error& e) {
         const int rc = app.exit(e, out, err);
         return rc == 0 ? exit_ok : exit_usage;
      }
      for (const auto& c : commands)
         if (c.app->parsed())
            return c.run();
      return exit_usage; // unreachable: require_subcommand(1)
   } catch (const std::bad_alloc&) {
      return fail(err, "out of memory", exit_refused);
   } catch (const std::exception& e) {
      return fail(err, std::string("internal error: ") + e.what(), exit_refused);
   }
}

} // namespace p2pctl
