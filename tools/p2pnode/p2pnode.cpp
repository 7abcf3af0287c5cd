#include "p2pnode.hpp"

#include "cli/command.hpp"
#include "node/node.hpp"
#include "node/node_config.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <sstream>

namespace p2pnode {

namespace {

using core::cli::exit_failure;
using core::cli::exit_ok;
using core::cli::exit_usage;

/// The value of `--name V`, `--name=V` or `-s V` among the command-line arguments.
std::optional<std::string> find_arg(const std::vector<std::string>& args, std::string_view name, std::string_view short_name) {
   for (std::size_t i = 0; i < args.size(); ++i) {
      const auto& a = args[i];
      if ((a == name || (!short_name.empty() && a == short_name)) && i + 1 < args.size())
         return args[i + 1];
      if (a.starts_with(std::string(name) + "="))
         return a.substr(name.size() + 1);
   }
   return std::nullopt;
}

/// The arguments to parse: config.ini's entries (from --config-file, else <data-dir>/config.ini
/// when something is there), overridden by the command line. Error: why config.ini cannot be read.
core::result<std::vector<std::string>> with_config_ini(const std::vector<std::string>& args) {
   const bool wants_help = std::any_of(args.begin(), args.end(), [](const auto& a) { return a == "--help" || a == "-h"; });
   if (wants_help)
      return args;
   auto config_file = find_arg(args, "--config-file", "");
   const auto data_dir = find_arg(args, "--data-dir", "-d");
   // Whatever is at <data-dir>/config.ini (a directory, a dangling link) is read, and an error
   // when it is not a readable file: never silently ignored.
   std::error_code ec;
   if (const auto ini = std::filesystem::path(data_dir.value_or("")) / "config.ini";
       !config_file && data_dir && std::filesystem::exists(std::filesystem::symlink_status(ini, ec)))
      config_file = ini.string();
   if (!config_file)
      return args;
   auto ini = core::read_config_ini(*config_file);
   if (!ini)
      return core::unexpected{ini.error()};
   return core::merge_config_args(*ini, args);
}

/// The node, from finished options until SIGINT / SIGTERM.
int run_node(CLI::App& app, core::node_config& cfg, std::ostream& err) {
   if (auto r = core::finish_config(app, cfg); !r)
      return core::cli::fail(err, "p2pnode", r.error(), exit_usage);
   auto n = core::node::open(cfg, err);
   if (!n)
      return core::cli::fail(err, "p2pnode", n.error(), exit_failure);
   if (auto r = (*n)->start(); !r)
      return core::cli::fail(err, "p2pnode", r.error(), exit_failure);
   (*n)->run();
   (*n)->log().info("node", "stopped at head {} lib {}", (*n)->chain().head()->block_num(),
                    (*n)->chain().last_irreversible_block_num());
   return exit_ok;
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
   std::istringstream no_input; // the node reads no standard input
   const core::cli::streams io{no_input, out, err};
   core::node_config cfg;
   CLI::App app{"p2pnode — an EOS/Antelope peer-to-peer node speaking Leap 5's net protocol", "p2pnode"};
   app.set_version_flag("--version", std::string("p2pnode ") + P2PNODE_VERSION);
   core::add_node_options(app, cfg);
   app.add_flag("--print-default-config")
      ->description("print a config.ini with every option, its help and its default (commented out), and exit");
   if (std::find(args.begin(), args.end(), "--print-default-config") != args.end()) {
      core::write_default_config_ini(app, out);
      return exit_ok;
   }
   auto merged = with_config_ini(args);
   if (!merged)
      return core::cli::fail(err, "p2pnode", merged.error(), exit_usage);
   return core::cli::run(app, {{&app, [&] { return run_node(app, cfg, err); }}}, std::move(*merged), io);
}

} // namespace p2pnode
