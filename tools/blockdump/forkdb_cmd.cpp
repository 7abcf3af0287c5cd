#include "commands.hpp"

#include "block_source.hpp"
#include "savanna_fields.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <unordered_set>

namespace blockdump {

namespace {
struct forkdb_options {
   std::string data_dir;
   bool json = false;
};

/// One branch: the blocks from just after `fork_point` to `tip`, oldest first. The best branch
/// runs from the LIB; every other one from where it leaves a branch listed before it.
struct branch {
   core::block_state_ptr fork_point;
   std::vector<core::block_state_ptr> blocks;
   bool best = false;
};

std::vector<branch> branches_of(const core::fork_database& fdb) {
   auto all = fdb.all();
   std::unordered_set<core::block_id_type> parents;
   for (const auto& b : all)
      parents.insert(b->previous());
   std::vector<core::block_state_ptr> tips;
   for (const auto& b : all)
      if (!parents.contains(b->id()))
         tips.push_back(b);
   const auto head_id = fdb.head()->id();
   // Best tip first (the one whose branch holds the head), then by block number and id.
   auto holds_head = [&](const core::block_state_ptr& t) {
      auto at = fdb.search_on_branch(t->id(), fdb.head()->block_num());
      return at && at->id() == head_id;
   };
   std::sort(tips.begin(), tips.end(), [&](const auto& a, const auto& b) {
      const bool ha = holds_head(a), hb = holds_head(b);
      if (ha != hb)
         return ha;
      if (a->block_num() != b->block_num())
         return a->block_num() > b->block_num();
      return core::sha256_less(a->id(), b->id());
   });
   std::vector<branch> out;
   std::unordered_set<core::block_id_type> listed;
   for (const auto& t : tips) {
      branch br;
      br.best = out.empty() && holds_head(t);
      auto path = fdb.fetch_branch(t->id()); // newest first
      for (const auto& b : path) {
         if (listed.contains(b->id())) {
            br.fork_point = b;
            break;
         }
         br.blocks.push_back(b);
      }
      if (!br.fork_point)
         br.fork_point = fdb.root();
      std::reverse(br.blocks.begin(), br.blocks.end());
      for (const auto& b : br.blocks)
         listed.insert(b->id());
      out.push_back(std::move(br));
   }
   return out;
}

void write_block(rapidjson::Writer<rapidjson::StringBuffer>& w, const core::block_state& b) {
   w.StartObject();
   w.Key("block_num");
   w.Uint(b.block_num());
   w.Key("id");
   w.String(b.id().to_string().c_str());
   w.Key("producer");
   w.String(b.block->producer.to_string().c_str());
   w.Key("qc_claim");
   write_qc_claim(w, b.bhs.savanna ? std::optional(b.bhs.savanna->core.latest_qc_claim()) : std::nullopt);
   w.EndObject();
}
} // namespace

command add_forkdb_command(CLI::App& app, const streams& io) {
   auto opt = std::make_shared<forkdb_options>();
   auto* cmd = app.add_subcommand("forkdb", "the reversible block tree of a data dir: LIB, best head, branches");
   core::cli::add_data_dir_option(*cmd, opt->data_dir)->required();
   add_json_flag(*cmd, opt->json);
   return {cmd, [opt, &io] {
      auto& out = io.out;
      auto reader = store_reader::open(opt->data_dir);
      if (!reader)
         return fail(io.err, reader.error());
      auto tree = load_fork_tree((*reader)->store());
      if (!tree)
         return fail(io.err, tree.error());
      const auto& fdb = **tree;
      const auto branches = branches_of(fdb);
      if (opt->json) {
         rapidjson::StringBuffer sb;
         rapidjson::Writer<rapidjson::StringBuffer> w(sb);
         w.StartObject();
         w.Key("lib_block_num");
         w.Uint(fdb.root()->block_num());
         w.Key("lib_block_id");
         w.String(fdb.root()->id().to_string().c_str());
         w.Key("head_block_num");
         w.Uint(fdb.head()->block_num());
         w.Key("head_block_id");
         w.String(fdb.head()->id().to_string().c_str());
         w.Key("reversible_blocks");
         w.Uint(static_cast<unsigned>(fdb.size()));
         savanna_fields::of_state(fdb.head()->bhs).write_json(w, true);
         w.Key("branches");
         w.StartArray();
         for (const auto& br : branches) {
            w.StartObject();
            w.Key("best");
            w.Bool(br.best);
            w.Key("fork_point_num");
            w.Uint(br.fork_point->block_num());
            w.Key("fork_point_id");
            w.String(br.fork_point->id().to_string().c_str());
            w.Key("blocks");
            w.StartArray();
            for (const auto& b : br.blocks)
               write_block(w, *b);
            w.EndArray();
            w.EndObject();
         }
         w.EndArray();
         w.EndObject();
         out << sb.GetString() << '\n';
         return exit_ok;
      }
      out << fmt::format("{:<16}{} {}\n", "lib", fdb.root()->block_num(), fdb.root()->id().to_string());
      out << fmt::format("{:<16}{} {}\n", "head", fdb.head()->block_num(), fdb.head()->id().to_string());
      out << fmt::format("{:<16}{}\n", "reversible", fdb.size());
      savanna_fields::of_state(fdb.head()->bhs).print_text(out);
      out << fmt::format("{:<16}{}\n", "branches", branches.size());
      for (std::size_t i = 0; i < branches.size(); ++i) {
         const auto& br = branches[i];
         out << fmt::format("branch {}{} from {} {}\n", i, br.best ? " (best)" : "", br.fork_point->block_num(),
                            br.fork_point->id().to_string());
         for (const auto& b : br.blocks) {
            out << fmt::format("  {:>10} {} {}", b->block_num(), b->id().to_string(), b->block->producer.to_string());
            if (b->bhs.savanna)
               out << " qc " << qc_claim_text(b->bhs.savanna->core.latest_qc_claim());
            out << '\n';
         }
      }
      return exit_ok;
   }};
}

} // namespace blockdump
