#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `trim`: the log trimmed to --first..--last (each defaulting to the log's end), written as a
/// new nodeos v3 log; the source is never modified (leap-util trim-blocklog works in place).
void add_trim_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
