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
   auto* cmd = app.add_subcommand("export", "rewrite the whole source as a nodeos v3 log with index (or a data dir)");
   add_source_options(*cmd, opt->src);
   cmd->add_option("--output-dir", opt->range.output_dir, "directory for the new blocks.log and blocks.index, or the new data dir")
      ->required();
   add_output_options(*cmd, opt->range);
   cmd->callback([opt, &out, &err, &rc] {
      auto src = block_source::open(opt->src);
      if (!src) {
         err << "blockdump: " << src.error() << '\n';
         rc = 1;
         return;
      }
      rc = copy_range(**src, opt->range, "export", out, err);
   });
}

} // namespace blockdump
