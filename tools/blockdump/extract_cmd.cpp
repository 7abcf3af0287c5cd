#include "extract_cmd.hpp"

#include "log_copy.hpp"

namespace blockdump {

void add_extract_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   add_range_copy_command(app,
                          {"extract", "write blocks --first..--last into a new nodeos v3 log or data dir",
                           range_flags::required, "first block to write", "last block to write"},
                          out, err, rc);
}

} // namespace blockdump
