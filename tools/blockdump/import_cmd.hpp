#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `import`: feeds a nodeos log or a file of hex blocks (any order, any branch) into a data dir
/// through the controller; counts per outcome.
void add_import_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
