// libFuzzer target: a config.ini as p2pnode reads it. The input is the file (read by name from a
// memory file, as --config-file is), then the same steps as p2pnode's start: read_config_ini,
// merge_config_args with a command line, CLI11's parse of add_node_options, finish_config.
// Properties: each step gives a value or an error of one non-empty line (p2pnode prints it and
// exits 2); no exception but CLI11's own parse errors leaves a step (p2pnode would report any
// other as an internal error); the entries read have a name and neither name nor value keeps
// the spaces, tabs or carriage returns around it.
#include "fuzz_check.hpp"
#include "memory_file.hpp"

#include "node/node_config.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

bool one_line(const std::string& s) { return !s.empty() && s.find('\n') == std::string::npos; }

bool trimmed(const std::string& s) {
   auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
   return s.empty() || (!blank(s.front()) && !blank(s.back()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   fuzz::memory_file file({data, size});
   auto ini = core::read_config_ini(file.path());
   if (!ini) {
      FUZZ_CHECK(one_line(ini.error()));
      return 0;
   }
   for (const auto& [name, value] : *ini) {
      FUZZ_CHECK(!name.empty() && trimmed(name) && name.find('\n') == std::string::npos);
      FUZZ_CHECK(value.find('\n') == std::string::npos);
   }
   // The command line names the data dir (a required option), so an entry for it is overridden.
   const std::vector<std::string> cli{"--data-dir", "/nonexistent/fuzz-data-dir"};
   auto args = core::merge_config_args(*ini, cli);
   FUZZ_CHECK(args.size() >= cli.size() && std::equal(cli.begin(), cli.end(), args.end() - long(cli.size())));

   core::node_config cfg;
   CLI::App app{"p2pnode", "p2pnode"};
   core::add_node_options(app, cfg);
   std::reverse(args.begin(), args.end()); // CLI11 consumes arguments from the back
   try {
      app.parse(std::move(args));
   } catch (const CLI::ParseError&) {
      return 0; // p2pnode prints CLI11's message and exits 2
   }
   FUZZ_CHECK(cfg.data_dir == "/nonexistent/fuzz-data-dir");
   auto done = core::finish_config(app, cfg);
   if (!done)
      FUZZ_CHECK(one_line(done.error()));
   else
      FUZZ_CHECK(!cfg.control_socket.empty());
   return 0;
}
