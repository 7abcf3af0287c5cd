#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `forkdb`: the reversible block tree of a data dir: LIB, best head, branches.
void add_forkdb_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
