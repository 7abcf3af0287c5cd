// `trim`: a range copy (log_copy.hpp) with its own range flags and help.
#include "commands.hpp"
#include "log_copy.hpp"

namespace blockdump {

command add_trim_command(CLI::App& app, const streams& io) {
   return add_range_copy_command(app,
                                 {"trim", "write the log trimmed to --first..--last as a new nodeos v3 log or data dir",
                                  range_flags::optional, "first block to keep (default: the log's first)",
                                  "last block to keep (default: the log's last)"},
                                 io);
}

} // namespace blockdump
