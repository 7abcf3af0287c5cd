// `export`: a range copy (log_copy.hpp) with its own range flags and help.
#include "commands.hpp"
#include "log_copy.hpp"

namespace blockdump {

command add_export_command(CLI::App& app, const streams& io) {
   return add_range_copy_command(
      app, {"export", "rewrite the whole source as a nodeos v3 log with index (or a data dir)", range_flags::none}, io);
}

} // namespace blockdump
