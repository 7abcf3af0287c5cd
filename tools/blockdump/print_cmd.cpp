#include "print_cmd.hpp"

#include "block_json.hpp"
#include "block_source.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <optional>
#include <memory>
#include <ostream>

namespace blockdump {

namespace {
struct print_options {
   source_options src;
   std::optional<uint32_t> first;
   std::optional<uint32_t> last;
   bool pretty = false;
   bool as_array = false;
   bool include_reversible = false;
};

std::string prettify(const std::string& compact) {
   rapidjson::Document d;
   d.Parse(compact.c_str(), compact.size());
   rapidjson::StringBuffer sb;
   rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
   w.SetIndent(' ', 2);
   d.Accept(w);
   return sb.GetString();
}
} // namespace

void add_print_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   auto opt = std::make_shared<print_options>();
   auto* cmd = app.add_subcommand("print", "print blocks as JSON");
   add_source_options(*cmd, opt->src);
   cmd->add_option("--first,-f", opt->first, "first block number to print");
   cmd->add_option("--last,-l", opt->last, "last block number to print");
   cmd->add_flag("--pretty", opt->pretty, "indented JSON");
   cmd->add_flag("--as-json-array", opt->as_array, "one JSON array of all blocks");
   cmd->add_flag("--include-reversible", opt->include_reversible,
                 "with --data-dir: after the irreversible blocks, the best reversible branch");
   cmd->callback([opt, &out, &err, &rc] {
      check_range_flags(opt->first, opt->last);
      auto src = block_source::open(opt->src);
      if (!src) {
         err << "blockdump: " << src.error() << '\n';
         rc = 1;
         return;
      }
      const auto range = resolve_range((*src)->first_block_num(),
                                       opt->include_reversible ? (*src)->last_with_reversible() : (*src)->last_block_num(),
                                       opt->first, opt->last);
      bool first_out = true;
      if (opt->as_array)
         out << '[';
      rapidjson::StringBuffer sb;
      // An empty source still walks: a nodeos log torn before its first block reports it.
      const auto [first, last] = range.value_or(block_range{(*src)->first_block_num(), (*src)->first_block_num() - 1});
      auto walked = (*src)->walk(first, last, opt->include_reversible, [&](const source_block& b) {
         sb.Clear();
         core::json_output_archive::writer_type w(sb);
         write_block_json(w, b.block);
         std::string js(sb.GetString(), sb.GetSize());
         if (opt->pretty)
            js = prettify(js);
         if (opt->as_array)
            out << (first_out ? "" : ",") << (opt->pretty ? "\n" : "") << js;
         else
            out << js << '\n';
         first_out = false;
         return true;
      });
      if (!walked) {
         if (opt->as_array)
            out << "]\n";
         out.flush();
         err << "blockdump: " << walked.error() << '\n';
         rc = 1;
         return;
      }
      if (opt->as_array)
         out << "]\n";
   });
}

} // namespace blockdump
