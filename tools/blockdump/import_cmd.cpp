#include "import_cmd.hpp"

#include "types/devnet.hpp"

#include "block_source.hpp"
#include "importer.hpp"
#include "progress.hpp"

#include "codec/codec.hpp"
#include "codec/file_input.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <memory>
#include <ostream>

#include <unistd.h>

namespace blockdump {

namespace {
struct import_options {
   std::string data_dir;
   std::string genesis_json;
   std::string blocks_dir;
   std::string hex_file;
   bool json = false;
};

/// Genesis: --genesis-json, else the log's preamble, else the existing store's (nullopt).
core::result<std::optional<core::genesis_state>> choose_genesis(const import_options& o,
                                                                 const core::nodeos_block_log* log) {
   std::optional<core::genesis_state> g;
   if (!o.genesis_json.empty()) {
      auto r = core::read_genesis_json(o.genesis_json);
      if (!r)
         return core::unexpected{r.error()};
      g = *r;
   } else if (log && log->genesis()) {
      g = *log->genesis();
   }
   if (g && log && g->compute_chain_id() != log->chain_id())
      return core::unexpected{fmt::format("genesis chain id {} differs from the log's chain id {}",
                                          g->compute_chain_id().to_string(), log->chain_id().to_string())};
   return g;
}

void print_counts(std::ostream& out, const import_counts& c, const core::controller& chain, bool json) {
   if (json) {
      rapidjson::StringBuffer sb;
      rapidjson::Writer<rapidjson::StringBuffer> w(sb);
      w.StartObject();
      for (auto [k, v] : {std::pair{"applied", c.applied}, {"forked", c.forked}, {"duplicate", c.duplicate},
                          {"old", c.old}, {"invalid", c.invalid}, {"unlinkable", c.unlinkable}}) {
         w.Key(k);
         w.Uint64(v);
      }
      if (!c.first_error.empty()) {
         w.Key("first_error");
         w.String(c.first_error.c_str());
      }
      w.Key("head_block_num");
      w.Uint(chain.head()->block_num());
      w.Key("head_block_id");
      w.String(chain.head()->id().to_string().c_str());
      w.Key("lib_block_num");
      w.Uint(chain.last_irreversible_block_num());
      w.EndObject();
      out << sb.GetString() << '\n';
      return;
   }
   out << fmt::format("{:<16}{}\n", "applied", c.applied);
   out << fmt::format("{:<16}{}\n", "forked", c.forked);
   out << fmt::format("{:<16}{}\n", "duplicate", c.duplicate);
   out << fmt::format("{:<16}{}\n", "old", c.old);
   out << fmt::format("{:<16}{}\n", "invalid", c.invalid);
   out << fmt::format("{:<16}{}\n", "unlinkable", c.unlinkable);
   if (!c.first_error.empty())
      out << fmt::format("{:<16}{}\n", "first_error", c.first_error);
   out << fmt::format("{:<16}{} {}\n", "head", chain.head()->block_num(), chain.head()->id().to_string());
   out << fmt::format("{:<16}{}\n", "lib", chain.last_irreversible_block_num());
}

/// Decoded lines of a hex file; undecodable lines are counted invalid in `c`.
core::result<std::vector<std::shared_ptr<const core::signed_block>>> read_hex_file(const std::string& path,
                                                                                    import_counts& c) {
   // A FIFO or a directory is refused before the blocking open an ifstream would make.
   auto fd = core::open_regular_file(path);
   if (!fd)
      return core::unexpected{fd.error()};
   ::close(*fd);
   std::ifstream in(path);
   if (!in)
      return core::unexpected{fmt::format("{}: cannot open", path)};
   std::vector<std::shared_ptr<const core::signed_block>> blocks;
   std::size_t line_no = 0;
   for (std::string line; std::getline(in, line);) {
      ++line_no;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
         line.pop_back();
      if (line.empty())
         continue;
      std::string why;
      auto bytes = core::from_hex(line);
      if (!bytes) {
         why = "not hex";
      } else if (auto b = core::unpack<core::signed_block>(*bytes); !b) {
         why = b.error().message();
      } else {
         blocks.push_back(std::make_shared<const core::signed_block>(std::move(*b)));
         continue;
      }
      if (c.invalid++ == 0)
         c.first_error = fmt::format("{}:{}: {}", path, line_no, why);
   }
   return blocks;
}
} // namespace

void add_import_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   auto opt = std::make_shared<import_options>();
   auto* cmd = app.add_subcommand("import", "feed blocks into a data dir through the node's controller");
   cmd->add_option("--data-dir", opt->data_dir, "data dir to import into (its store DIR/chain is created if missing)")
      ->required();
   cmd->add_option("--genesis-json", opt->genesis_json, "nodeos genesis.json (default: the log's preamble, else the store's)");
   auto* b = cmd->add_option("--blocks-dir", opt->blocks_dir, "source: nodeos blocks.log in this directory");
   auto* h = cmd->add_option("--hex-file", opt->hex_file, "source: one hex-encoded signed_block per line, any order");
   b->excludes(h);
   h->excludes(b);
   cmd->add_flag("--json", opt->json, "one JSON object");
   cmd->callback([opt, &out, &err, &rc] {
      if (opt->blocks_dir.empty() && opt->hex_file.empty())
         throw CLI::RequiredError("--blocks-dir or --hex-file");
      auto fail = [&](const std::string& why) {
         err << "blockdump import: " << why << '\n';
         rc = 1;
      };
      std::optional<core::nodeos_block_log> log;
      if (!opt->blocks_dir.empty()) {
         auto l = core::nodeos_block_log::open(std::filesystem::path(opt->blocks_dir) / "blocks.log");
         if (!l)
            return fail(l.error());
         log.emplace(std::move(*l));
      }
      auto genesis = choose_genesis(*opt, log ? &*log : nullptr);
      if (!genesis)
         return fail(genesis.error());

      import_counts pre; ///< undecodable hex lines
      std::vector<std::shared_ptr<const core::signed_block>> hex_blocks;
      if (!log) {
         auto blocks = read_hex_file(opt->hex_file, pre);
         if (!blocks)
            return fail(blocks.error());
         hex_blocks = std::move(*blocks);
      }
      if (!*genesis && !std::filesystem::exists(store_path(opt->data_dir) / "CURRENT"))
         return fail("no genesis state: the data dir is new and the source has none; pass --genesis-json");
      auto store = core::rocksdb_chain_store::open(store_path(opt->data_dir), import_store_options());
      if (!store)
         return fail(store.error());
      if (auto meta = (*store)->metadata()) {
         if (*genesis && meta->chain_id != (*genesis)->compute_chain_id())
            return fail(fmt::format("genesis chain id {} differs from the data dir's chain id {}",
                                    (*genesis)->compute_chain_id().to_string(), meta->chain_id.to_string()));
         if (log && meta->chain_id != log->chain_id())
            return fail(fmt::format("the log's chain id {} differs from the data dir's chain id {}",
                                    log->chain_id().to_string(), meta->chain_id.to_string()));
      } else if (!*genesis) {
         return fail("no genesis state: the data dir is new and the source has none; pass --genesis-json");
      }

      auto opened = open_import_chain(**store, *genesis);
      if (!opened)
         return fail(opened.error());
      core::controller& chain = **opened;

      importer imp(chain);
      std::string read_error;
      if (log) {
         progress prog(err, "import", log->first_block_num(), log->last_block_num());
         auto cur = log->begin();
         for (uint32_t num = log->first_block_num();; ++num) {
            auto e = cur.next();
            if (!e) {
               read_error = fmt::format("block {}: {}", num, e.error().message());
               break;
            }
            if (!e->has_value())
               break;
            auto blk = log->decode(**e);
            if (!blk) {
               read_error = fmt::format("block {}: {}", (*e)->block_num, blk.error().message());
               break;
            }
            imp.offer(std::make_shared<const core::signed_block>(std::move(*blk)));
            prog.update((*e)->block_num);
         }
      } else {
         progress prog(err, "import", 1, static_cast<uint32_t>(hex_blocks.size()));
         uint32_t i = 0;
         for (auto& blk : hex_blocks) {
            imp.offer(std::move(blk));
            prog.update(++i);
         }
      }
      imp.finish();
      import_counts c = imp.counts();
      c.invalid += pre.invalid;
      if (!pre.first_error.empty())
         c.first_error = pre.first_error; // undecodable lines were read before any block was offered
      print_counts(out, c, chain, opt->json);
      if (!read_error.empty())
         return fail(read_error);
      if (c.invalid)
         return fail(fmt::format("{} invalid block(s); first: {}", c.invalid, c.first_error));
      if (c.unlinkable)
         return fail(fmt::format("{} block(s) never linked to the chain (parents missing)", c.unlinkable));
   });
}

} // namespace blockdump
