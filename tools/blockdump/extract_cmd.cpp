#include "extract_cmd.hpp"

#include "block_source.hpp"
#include "log_copy.hpp"

#include <memory>
#include <ostream>

namespace blockdump {

namespace {
struct extract_options {
   source_options src;
   range_options range;
};
} // namespace

void add_extract_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   auto opt = std::make_shared<extract_options>();
   auto* cmd = app.add_subcommand("extract", "write blocks --first..--last into a new nodeos v3 log or data dir");
   add_source_options(*cmd, opt->src);
   cmd->add_option("--first,-f", opt->range.first, "first block to write")->required();
   cmd->add_option("--last,-l", opt->range.last, "last block to write")->required();
   cmd->add_option("--output-dir", opt->range.output_dir, "directory for the new blocks.log and blocks.index, or the new data dir")
      ->required();
   add_output_options(*cmd, opt->range);
   cmd->callback([opt, &out, &err, &rc] {
      check_range_order(opt->range);
      auto src = block_source::open(opt->src);
      if (!src) {
         err << "blockdump: " << src.error() << '\n';
         rc = 1;
         return;
      }
      rc = copy_range(**src, opt->range, "extract", out, err);
   });
}

} // namespace blockdump
