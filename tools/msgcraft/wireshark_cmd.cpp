// msgcraft wireshark: prints a Wireshark Lua dissector generated from the codec's type table.
#include "commands.hpp"

#include "wireshark/lua_dissector.hpp"

#include "net/wire_schema.hpp"

#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <ostream>

#ifndef MSGCRAFT_VERSION
#define MSGCRAFT_VERSION "unknown"
#endif

namespace msgcraft {

namespace {

struct wireshark_options {
   std::string output;
   bool fields = false;
};

int run_wireshark(const wireshark_options& o, const streams& io) {
   if (o.fields) {
      for (const auto& f : wireshark::dissector_fields(core::net_message_schema()))
         io.out << f.abbrev << '\n';
      return exit_ok;
   }
   const auto lua = wireshark::generate_dissector(core::net_message_schema(), MSGCRAFT_VERSION);
   if (o.output.empty() || o.output == "-") {
      io.out << lua;
      return exit_ok;
   }
   std::ofstream f(o.output, std::ios::binary | std::ios::trunc);
   f << lua;
   if (!f.flush())
      return fail(io.err, fmt::format("cannot write {}", o.output));
   return exit_ok;
}

} // namespace

command add_wireshark_command(CLI::App& app, const streams& io) {
   auto o = std::make_shared<wireshark_options>();
   auto* cmd = app.add_subcommand("wireshark", "Print a Wireshark Lua dissector generated from the codec's type table");
   cmd->add_option("--output,-o", o->output, "Write it to F instead of stdout")->type_name("F");
   cmd->add_flag("--fields", o->fields, "List the dissector's field names (for display filters) instead");
   return {cmd, [o, &io] { return run_wireshark(*o, io); }};
}

} // namespace msgcraft
