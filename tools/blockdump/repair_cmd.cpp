#include "repair_cmd.hpp"

#include "blocklog/nodeos_block_log_repair.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <ostream>

namespace blockdump {

namespace {

struct repair_options {
   std::string blocks_dir;
   std::string output_dir;
   bool in_place = false;
   bool json = false;
};

void print_json(std::ostream& out, const core::block_log_repair& r) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   w.StartObject();
   w.Key("log");
   w.String(r.log_path.string().c_str());
   w.Key("repaired");
   w.Bool(!r.intact());
   w.Key("first_block_num");
   w.Uint(r.first_block_num);
   w.Key("last_block_num");
   w.Uint(r.last_block_num);
   w.Key("cut_at");
   r.cut ? (void)w.Uint64(r.cut->offset) : (void)w.Null();
   w.Key("cut_bytes");
   w.Uint64(r.cut_bytes);
   w.Key("cut_reason");
   r.cut ? (void)w.String(r.cut->what.c_str()) : (void)w.Null();
   w.Key("index_before");
   w.String(r.index_before.c_str());
   w.Key("index_rebuilt");
   w.Bool(r.index_rebuilt);
   w.Key("kept_tail");
   r.kept_tail.empty() ? (void)w.Null() : (void)w.String(r.kept_tail.string().c_str());
   w.EndObject();
   out << sb.GetString() << '\n';
}

void print_text(std::ostream& out, const core::block_log_repair& r) {
   const std::string blocks = r.last_block_num >= r.first_block_num
                                 ? fmt::format("{}..{}", r.first_block_num, r.last_block_num)
                                 : std::string("none");
   if (r.intact()) {
      out << fmt::format("{:<16}{}\n", "intact", r.log_path.string());
      out << fmt::format("{:<16}{}\n", "blocks", blocks);
      out << fmt::format("{:<16}{}\n", "index", r.index_before);
      out << fmt::format("{:<16}{}\n", "result", "nothing to repair, nothing written");
      return;
   }
   out << fmt::format("{:<16}{}\n", "repaired", r.log_path.string());
   out << fmt::format("{:<16}{}\n", "blocks", blocks);
   if (r.cut) {
      out << fmt::format("{:<16}byte {} ({} bytes): block {} did not read: {}\n", "cut_at", r.cut->offset, r.cut_bytes,
                         r.cut->block_num, r.cut->what);
   } else {
      out << fmt::format("{:<16}{}\n", "cut_at", "nothing (the log ends with a whole block)");
   }
   if (!r.kept_tail.empty())
      out << fmt::format("{:<16}{}\n", "kept_tail", r.kept_tail.string());
   out << fmt::format("{:<16}rebuilt (was: {})\n", "index", r.index_before);
}

} // namespace

void add_repair_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   auto opt = std::make_shared<repair_options>();
   auto* cmd = app.add_subcommand(
      "repair", "cut a torn nodeos blocks.log to its last whole block and rebuild blocks.index, into --output-dir "
                "(the original untouched) or --in-place");
   cmd->add_option("--blocks-dir", opt->blocks_dir, "directory holding nodeos blocks.log and blocks.index")->required();
   auto* output = cmd->add_option("--output-dir", opt->output_dir, "directory for the repaired blocks.log and blocks.index");
   auto* in_place = cmd->add_flag("--in-place", opt->in_place,
                                  "repair the log itself; the bytes cut off are kept as blocks.log.cut-at-OFFSET");
   output->excludes(in_place);
   in_place->excludes(output);
   cmd->add_flag("--json", opt->json, "one JSON object");
   cmd->callback([opt, &out, &err, &rc] {
      if (opt->output_dir.empty() && !opt->in_place)
         throw CLI::RequiredError("--output-dir or --in-place");
      const std::filesystem::path src(opt->blocks_dir);
      auto r = core::repair_block_log(src, opt->in_place ? src : std::filesystem::path(opt->output_dir));
      if (!r) {
         err << "blockdump repair: " << r.error() << '\n';
         rc = 1;
         return;
      }
      if (opt->json)
         print_json(out, *r);
      else
         print_text(out, *r);
   });
}

} // namespace blockdump
