#include "export_cmd.hpp"

#include "block_source.hpp"
#include "log_copy.hpp"

#include <memory>
#include <ostream>

namespace blockdump {

namespace {
struct export_options {
   source_options src;
   range_options range; ///< whole log: first and last unset
};
} // namespace

void add_export_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   auto opt = std::make_shared<export_options>();
   auto* cmd = app.add_subcommand("export", "rewrite the whole log as a nodeos v3 log with index");
   add_source_options(*cmd, opt->src);
   cmd->add_option("--output-dir", opt->range.output_dir, "directory for the new blocks.log and blocks.index")
      ->required();
   cmd->callback([opt, &out, &err, &rc] {
      auto log = open_source(opt->src);
      if (!log) {
         err << "blockdump: " << log.error() << '\n';
         rc = 1;
         return;
      }
      rc = copy_range(*log, opt->range, "export", out, err);
   });
}

} // namespace blockdump
