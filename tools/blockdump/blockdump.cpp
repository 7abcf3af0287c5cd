#include "blockdump.hpp"

#include "commands.hpp"

#include <CLI/CLI.hpp>

#include <sstream>

namespace blockdump {

int fail(std::ostream& err, std::string_view what) { return core::cli::fail(err, "blockdump", what); }

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
   std::istringstream no_input; // blockdump reads files only, never standard input
   const streams io{no_input, out, err};
   CLI::App app{"blockdump: decode, verify and import block logs (nodeos blocks.log v1-3, p2pnode data dirs)", "blockdump"};
   app.require_subcommand(1);
   const std::vector<command> commands = {
      add_info_command(app, io),    add_print_command(app, io),  add_verify_command(app, io),
      add_stats_command(app, io),   add_extract_command(app, io), add_trim_command(app, io),
      add_export_command(app, io),  add_import_command(app, io), add_forkdb_command(app, io),
      add_repair_command(app, io),
   };
   return core::cli::run(app, commands, args, io);
}

} // namespace blockdump
