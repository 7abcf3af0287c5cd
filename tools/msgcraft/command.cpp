#include "command.hpp"

#include "net/type_table.hpp"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <ostream>

namespace msgcraft {

int fail(std::ostream& err, std::string_view what) { return core::cli::fail(err, "msgcraft", what); }

CLI::Option* add_type_option(CLI::App& cmd, std::string& type) {
   CLI::Validator known(
      [](std::string& name) -> std::string {
         if (core::find_wire_type(name))
            return {};
         std::string msg = "unknown type \"" + name + "\"; known types:";
         for (const auto& t : core::wire_types())
            msg += " " + std::string(t.name);
         return msg;
      },
      "");
   return cmd.add_option("--type,-t", type, "Object type: a net message name (short forms like \"handshake\" too), "
                                            "signed_block_header, block_header, transaction, action, genesis_state")
      ->check(known)
      ->type_name("T");
}

std::string pretty_json(std::string_view compact) {
   rapidjson::Document d;
   d.Parse(compact.data(), compact.size());
   rapidjson::StringBuffer sb;
   rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
   w.SetIndent(' ', 2);
   d.Accept(w);
   return std::string(sb.GetString(), sb.GetSize());
}

} // namespace msgcraft
