// `extract`: a range copy (log_copy.hpp) with its own range flags and help.
#include "commands.hpp"
#include "log_copy.hpp"

namespace blockdump {

command add_extract_command(CLI::App& app, const streams& io) {
   return add_range_copy_command(app,
                                 {"extract", "write blocks --first..--last into a new nodeos v3 log or data dir",
                                  range_flags::required, "first block to write", "last block to write"},
                                 io);
}

} // namespace blockdump
