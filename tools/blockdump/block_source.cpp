#include "block_source.hpp"

namespace blockdump {

void add_source_options(CLI::App& cmd, source_options& o) {
   auto* b = cmd.add_option("--blocks-dir", o.blocks_dir, "directory holding nodeos blocks.log and blocks.index");
   auto* d = cmd.add_option("--data-dir", o.data_dir, "p2pnode data directory");
   b->excludes(d);
   d->excludes(b);
}

core::result<core::nodeos_block_log> open_source(const source_options& o) {
   if (o.blocks_dir.empty() && o.data_dir.empty())
      throw CLI::RequiredError("--blocks-dir or --data-dir");
   if (!o.data_dir.empty())
      return core::unexpected{std::string("--data-dir: the node's own block store is not available yet; use --blocks-dir")};
   return core::nodeos_block_log::open(std::filesystem::path(o.blocks_dir) / "blocks.log");
}

std::filesystem::path index_path(const source_options& o) {
   return std::filesystem::path(o.blocks_dir) / "blocks.index";
}

} // namespace blockdump
