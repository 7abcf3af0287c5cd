#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `info`: format, version, chain id, first/last block, count, head, index agreement.
void add_info_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
