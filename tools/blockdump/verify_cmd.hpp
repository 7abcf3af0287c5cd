#pragma once
#include <CLI/CLI.hpp>

#include <iosfwd>

namespace blockdump {
/// `verify`: replays the log's headers from genesis with block_header_state::next (schedule,
/// confirmations, producer signatures), checking linkage, transaction_mroot and the transactions
/// (core::validate_block_body) through the pipelined core::chain_replayer, signatures recovered
/// on all cores; stops at the first failing block. With --partial, a source that does not start
/// at block 1 is checked without header state (partial_checker).
void add_verify_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc);
} // namespace blockdump
