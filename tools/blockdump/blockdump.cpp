#include "blockdump.hpp"

#include "export_cmd.hpp"
#include "extract_cmd.hpp"
#include "forkdb_cmd.hpp"
#include "import_cmd.hpp"
#include "info_cmd.hpp"
#include "print_cmd.hpp"
#include "repair_cmd.hpp"
#include "stats_cmd.hpp"
#include "trim_cmd.hpp"
#include "verify_cmd.hpp"

#include <CLI/CLI.hpp>

#include <ostream>

namespace blockdump {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
   CLI::App app{"blockdump: decode, verify and import block logs (nodeos blocks.log v1-3, p2pnode data dirs)", "blockdump"};
   app.require_subcommand(1);
   int rc = 0;
   add_info_command(app, out, err, rc);
   add_print_command(app, out, err, rc);
   add_verify_command(app, out, err, rc);
   add_stats_command(app, out, err, rc);
   add_extract_command(app, out, err, rc);
   add_trim_command(app, out, err, rc);
   add_export_command(app, out, err, rc);
   add_import_command(app, out, err, rc);
   add_forkdb_command(app, out, err, rc);
   add_repair_command(app, out, err, rc);
   try {
      std::vector<std::string> rev(args.rbegin(), args.rend());
      app.parse(rev);
   } catch (const CLI::CallForHelp&) {
      out << app.help();
      return 0;
   } catch (const CLI::CallForAllHelp&) {
      out << app.help("", CLI::AppFormatMode::All);
      return 0;
   } catch (const CLI::ParseError& e) {
      err << "blockdump: " << e.what() << '\n';
      return 2;
   }
   return rc;
}

} // namespace blockdump
