#include "cli/command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <new>
#include <optional>
#include <ostream>

namespace core::cli {

CLI::Option* add_json_flag(CLI::App& cmd, bool& json) {
   return cmd.add_flag("--json", json, "Print one JSON object per line instead of aligned text");
}

CLI::Option* add_data_dir_option(CLI::App& cmd, std::string& dir) {
   return cmd.add_option("--data-dir,-d", dir,
                         "p2pnode data directory: its store (DIR/chain), config.ini and control socket "
                         "(DIR/p2pnode.sock)")
      ->type_name("DIR");
}

CLI::Option* add_log_level_option(CLI::App& cmd, std::string& level) {
   return cmd.add_option("--log-level", level, "Log lines at this level and above: debug, info, warn or error")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->type_name("LEVEL");
}

int fail(std::ostream& err, std::string_view tool, std::string_view what, int code) {
   std::string line = fmt::format("{}: ", tool);
   for (char c : what)
      line += (c == '\n' || c == '\r') ? ' ' : c;
   err << line << '\n' << std::flush;
   return code;
}

namespace {

/// The first word of the command line no option or command took, in the deepest command
/// selected, and that command.
std::optional<std::pair<const CLI::App*, std::string>> unknown_word(const CLI::App& app) {
   for (const CLI::App* sub : app.get_subcommands())
      if (auto w = unknown_word(*sub))
         return w;
   const auto rest = app.remaining(false);
   if (rest.empty())
      return std::nullopt;
   return std::pair{&app, rest.front()};
}

/// The command a word left over at `where` belongs to: `where`, or the command selected below it
/// when that command lets its unknown words fall through to `where` (p2pctl's global options
/// may follow the command name).
const CLI::App& owner_of(const CLI::App& where) {
   for (const CLI::App* sub : where.get_subcommands())
      if (sub->get_fallthrough())
         return owner_of(*sub);
   return where;
}

/// "unknown option --x [for cmd]", "unknown command "x" [for cmd] (commands: a, b)", or
/// "unexpected argument "x" [for cmd]".
std::string describe_unknown(const CLI::App& where, const std::string& word) {
   const CLI::App& owner = owner_of(where);
   const std::string in = owner.get_parent() ? fmt::format(" for {}", owner.get_name()) : std::string();
   if (word.starts_with("-"))
      return fmt::format("unknown option {}{}", word, in);
   const auto subs = where.get_subcommands([](const CLI::App*) { return true; });
   if (!subs.empty() && where.get_subcommands().empty()) { // a word where a command was expected
      std::string names;
      for (const CLI::App* s : subs)
         names += (names.empty() ? "" : ", ") + s->get_name();
      return fmt::format("unknown command \"{}\"{} (commands: {})", word, in, names);
   }
   return fmt::format("unexpected argument \"{}\"{}", word, in);
}

} // namespace

int run(CLI::App& app, const std::vector<command>& commands, std::vector<std::string> args, const streams& io,
        int internal_error) {
   const std::string tool = app.get_name();
   try {
      try {
         std::reverse(args.begin(), args.end()); // CLI11 consumes arguments from the back
         app.parse(std::move(args));
         for (const auto& c : commands)
            if (c.app == &app || c.app->parsed())
               return c.run();
         return fail(io.err, tool, "no command given", exit_usage); // unreachable with require_subcommand
      } catch (const CLI::ParseError& e) {
         if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
            // --help, --help-all, --version: CLI11 prints them.
            app.exit(e, io.out, io.err);
            return exit_ok;
         }
         // An unknown word explains the error best, whatever CLI11 met first ("a subcommand is
         // required", "--data-dir is required").
         if (auto w = unknown_word(app))
            return fail(io.err, tool, describe_unknown(*w->first, w->second), exit_usage);
         return fail(io.err, tool, e.what(), exit_usage);
      }
   } catch (const std::bad_alloc&) {
      return fail(io.err, tool, "out of memory", internal_error);
   } catch (const std::exception& e) {
      return fail(io.err, tool, std::string("internal error: ") + e.what(), internal_error);
   }
}

} // namespace core::cli
