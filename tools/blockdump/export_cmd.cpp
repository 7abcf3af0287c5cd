#include "export_cmd.hpp"

#include "log_copy.hpp"

namespace blockdump {

void add_export_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   add_range_copy_command(
      app, {"export", "rewrite the whole source as a nodeos v3 log with index (or a data dir)", range_flags::none},
      out, err, rc);
}

} // namespace blockdump
