#include "p2pnode.hpp"

#include "node/node.hpp"
#include "node/node_config.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

namespace p2pnode {

namespace {

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

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
   core::node_config cfg;
   CLI::App app{"p2pnode — an EOS/Antelope peer-to-peer node speaking Leap 5's net protocol", "p2pnode"};
   app.set_version_flag("--version", std::string("p2pnode ") + P2PNODE_VERSION);
   core::add_node_options(app, cfg);

   // Phase 1: where config.ini is. Phase 2: its entries, overridden by the command line.
   std::vector<std::string> merged = args;
   const bool wants_help = std::any_of(args.begin(), args.end(), [](const auto& a) { return a == "--help" || a == "-h"; });
   if (!wants_help) {
      auto config_file = find_arg(args, "--config-file", "");
      const auto data_dir = find_arg(args, "--data-dir", "-d");
      // Whatever is at <data-dir>/config.ini (a directory, a dangling link) is read, and an
      // error when it is not a readable file: never silently ignored.
      std::error_code ec;
      if (const auto ini = std::filesystem::path(data_dir.value_or("")) / "config.ini";
          !config_file && data_dir && std::filesystem::exists(std::filesystem::symlink_status(ini, ec)))
         config_file = ini.string();
      if (config_file) {
         auto ini = core::read_config_ini(*config_file);
         if (!ini) {
            err << "p2pnode: " << ini.error() << '\n';
            return 2;
         }
         merged = core::merge_config_args(*ini, args);
      }
   }
   try {
      std::vector<std::string> rev(merged.rbegin(), merged.rend());
      app.parse(rev);
   } catch (const CLI::CallForHelp&) {
      out << app.help();
      return 0;
   } catch (const CLI::CallForVersion&) {
      out << app.version() << '\n';
      return 0;
   } catch (const CLI::ParseError& e) {
      err << "p2pnode: " << e.what() << '\n';
      return 2;
   }
   if (auto r = core::finish_config(app, cfg); !r) {
      err << "p2pnode: " << r.error() << '\n';
      return 2;
   }

   auto n = core::node::open(cfg, err);
   if (!n) {
      err << "p2pnode: " << n.error() << '\n';
      return 1;
   }
   if (auto r = (*n)->start(); !r) {
      err << "p2pnode: " << r.error() << '\n';
      return 1;
   }
   (*n)->run();
   (*n)->log().info("node", "stopped at head {} lib {}", (*n)->chain().head()->block_num(),
                    (*n)->chain().last_irreversible_block_num());
   return 0;
}

} // namespace p2pnode
