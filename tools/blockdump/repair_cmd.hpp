#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `repair`: a copy of a torn blocks.log cut to its last whole block, with its index rebuilt
/// (--in-place: the log itself, the bytes cut off saved beside it).
void add_repair_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
