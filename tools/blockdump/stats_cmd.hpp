#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `stats`: block count, bytes, transactions per block, blocks per producer, missed slots and
/// the time span of a log.
void add_stats_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
