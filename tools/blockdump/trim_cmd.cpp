#include "trim_cmd.hpp"

#include "log_copy.hpp"

namespace blockdump {

void add_trim_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   add_range_copy_command(app,
                          {"trim", "write the log trimmed to --first..--last as a new nodeos v3 log or data dir",
                           range_flags::optional, "first block to keep (default: the log's first)",
                           "last block to keep (default: the log's last)"},
                          out, err, rc);
}

} // namespace blockdump
