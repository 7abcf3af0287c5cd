#pragma once
/// The p2pctl subcommands, one file each (connect and disconnect share one); run() registers them
/// in this order.
#include "command.hpp"

namespace p2pctl {

command add_status_command(CLI::App& app, const context& ctx);      ///< status_cmd.cpp
command add_peers_command(CLI::App& app, const context& ctx);       ///< peers_cmd.cpp
command add_connect_command(CLI::App& app, const context& ctx);     ///< connect_cmd.cpp
command add_disconnect_command(CLI::App& app, const context& ctx);  ///< connect_cmd.cpp
command add_sync_command(CLI::App& app, const context& ctx);        ///< sync_cmd.cpp
command add_block_command(CLI::App& app, const context& ctx);       ///< block_cmd.cpp
command add_push_transaction_command(CLI::App& app, const context& ctx); ///< push_cmd.cpp
command add_metrics_command(CLI::App& app, const context& ctx);     ///< metrics_cmd.cpp
command add_watch_command(CLI::App& app, const context& ctx);       ///< watch_cmd.cpp
command add_top_command(CLI::App& app, const context& ctx);         ///< top_cmd.cpp
command add_activate_savanna_command(CLI::App& app, const context& ctx); ///< activate_cmd.cpp
command add_bp_gossip_peers_command(CLI::App& app, const context& ctx); ///< bp_gossip_cmd.cpp

} // namespace p2pctl
