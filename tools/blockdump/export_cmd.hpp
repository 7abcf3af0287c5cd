#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `export`: the whole log rewritten as a nodeos v3 log with index.
void add_export_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
