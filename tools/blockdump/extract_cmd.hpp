#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `extract`: blocks --first..--last into a new nodeos v3 log with index (leap-util
/// extract-blocks).
void add_extract_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
