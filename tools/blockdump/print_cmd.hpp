#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `print`: blocks as JSON, one object per line (or --pretty, or --as-json-array), as
/// `spring-util block-log print-log` prints them (block_json.hpp).
void add_print_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
