#include "info_cmd.hpp"

#include "block_source.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <ostream>

namespace blockdump {

namespace {
struct info_options {
   source_options src;
   bool json = false;
};

struct log_info {
   uint32_t count = 0;
   std::string head_id;
   std::string index_state; ///< "ok", "absent", or what disagrees (or why blocks.index does not read)
   bool index_unreadable = false; ///< index_state is read_index's error, which names the file
   std::string walk_error;  ///< empty when every entry decoded
};

log_info inspect(const core::nodeos_block_log& log, const source_options& src) {
   log_info li;
   auto index = core::nodeos_block_log::read_index(index_path(src));
   std::vector<uint64_t> offsets;
   auto cur = log.begin();
   core::block_id_type head;
   while (true) {
      auto e = cur.next();
      if (!e) {
         li.walk_error = entry_error(log, log.first_block_num() + li.count, e.error());
         break;
      }
      if (!e->has_value())
         break;
      offsets.push_back((*e)->offset);
      auto h = core::unpack<core::signed_block>((*e)->bytes);
      if (h)
         head = h->calculate_id();
      ++li.count;
   }
   li.head_id = head.to_string();
   if (!index) {
      li.index_state = index.error();
      li.index_unreadable = true;
   }
   else if (!index->has_value())
      li.index_state = "absent";
   else if (**index == offsets)
      li.index_state = "ok";
   else if ((*index)->size() != offsets.size())
      li.index_state = fmt::format("index has {} entries, log has {} blocks", (*index)->size(), offsets.size());
   else {
      std::size_t i = 0;
      while ((**index)[i] == offsets[i])
         ++i;
      li.index_state = fmt::format("index disagrees at block {}", log.first_block_num() + i);
   }
   return li;
}

/// info on a data dir: the store's chain, irreversible range, LIB, best head and integrity.
void info_store(const info_options& opt, std::ostream& out, std::ostream& err, int& rc) {
   auto reader = store_reader::open(opt.src.data_dir);
   if (!reader) {
      err << "blockdump: " << reader.error() << '\n';
      rc = 1;
      return;
   }
   const auto& st = (*reader)->store();
   auto tree = load_fork_tree(st);
   if (!tree) {
      err << "blockdump: " << tree.error() << '\n';
      rc = 1;
      return;
   }
   const auto& lib = (*tree)->root();
   const auto& head = (*tree)->head();
   auto integrity = st.verify_integrity();
   const std::string integrity_state = integrity ? "ok" : integrity.error();
   const char* mode = st.mode() == core::store_open_mode::secondary ? "secondary" : "read_only";
   if (opt.json) {
      rapidjson::StringBuffer sb;
      rapidjson::Writer<rapidjson::StringBuffer> w(sb);
      w.StartObject();
      w.Key("format");
      w.String("p2pnode-rocksdb");
      w.Key("version");
      w.Uint(core::rocksdb_chain_store::format_version);
      w.Key("opened");
      w.String(mode);
      w.Key("chain_id");
      w.String(st.metadata()->chain_id.to_string().c_str());
      w.Key("first_block_num");
      w.Uint(st.first_block_num());
      w.Key("last_block_num");
      w.Uint(st.lib_num());
      w.Key("block_count");
      w.Uint(st.lib_num() + 1 - st.first_block_num());
      w.Key("lib_block_num");
      w.Uint(lib->block_num());
      w.Key("lib_block_id");
      w.String(lib->id().to_string().c_str());
      w.Key("head_block_num");
      w.Uint(head->block_num());
      w.Key("head_block_id");
      w.String(head->id().to_string().c_str());
      w.Key("reversible_blocks");
      w.Uint(static_cast<unsigned>((*tree)->size()));
      w.Key("integrity");
      w.String(integrity_state.c_str());
      w.Key("ok");
      w.Bool(integrity.has_value());
      w.EndObject();
      out << sb.GetString() << '\n';
   } else {
      out << fmt::format("{:<16}{}\n", "format", "p2pnode-rocksdb");
      out << fmt::format("{:<16}{}\n", "version", core::rocksdb_chain_store::format_version);
      out << fmt::format("{:<16}{}\n", "opened", mode);
      out << fmt::format("{:<16}{}\n", "chain_id", st.metadata()->chain_id.to_string());
      out << fmt::format("{:<16}{}\n", "first_block", st.first_block_num());
      out << fmt::format("{:<16}{}\n", "last_block", st.lib_num());
      out << fmt::format("{:<16}{}\n", "blocks", st.lib_num() + 1 - st.first_block_num());
      out << fmt::format("{:<16}{} {}\n", "lib", lib->block_num(), lib->id().to_string());
      out << fmt::format("{:<16}{} {}\n", "head", head->block_num(), head->id().to_string());
      out << fmt::format("{:<16}{}\n", "reversible", (*tree)->size());
      out << fmt::format("{:<16}{}\n", "integrity", integrity_state);
   }
   if (!integrity) {
      err << "blockdump: " << integrity.error() << '\n';
      rc = 1;
   }
}
} // namespace

void add_info_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   auto opt = std::make_shared<info_options>();
   auto* cmd = app.add_subcommand("info", "format, version, chain id, block range, head and LIB, index agreement or store integrity");
   add_source_options(*cmd, opt->src);
   cmd->add_flag("--json", opt->json, "one JSON object");
   cmd->callback([opt, &out, &err, &rc] {
      if (!opt->src.data_dir.empty())
         return info_store(*opt, out, err, rc);
      auto log = open_source(opt->src);
      if (!log) {
         err << "blockdump: " << log.error() << '\n';
         rc = 1;
         return;
      }
      log_info li = inspect(*log, opt->src);
      const bool ok = li.walk_error.empty() && (li.index_state == "ok" || li.index_state == "absent");
      if (opt->json) {
         rapidjson::StringBuffer sb;
         rapidjson::Writer<rapidjson::StringBuffer> w(sb);
         w.StartObject();
         w.Key("format");
         w.String("nodeos-blocks-log");
         w.Key("version");
         w.Uint(log->version());
         w.Key("chain_id");
         w.String(log->chain_id().to_string().c_str());
         w.Key("genesis");
         w.Bool(log->genesis().has_value());
         w.Key("first_block_num");
         w.Uint(log->first_block_num());
         w.Key("last_block_num");
         w.Uint(log->last_block_num());
         w.Key("block_count");
         w.Uint(li.count);
         w.Key("head_block_num");
         w.Uint(log->last_block_num());
         w.Key("head_block_id");
         w.String(li.head_id.c_str());
         w.Key("index");
         w.String(li.index_state.c_str());
         w.Key("ok");
         w.Bool(ok);
         if (!li.walk_error.empty()) {
            w.Key("error");
            w.String(li.walk_error.c_str());
         }
         w.EndObject();
         out << sb.GetString() << '\n';
      } else {
         out << fmt::format("{:<16}{}\n", "format", "nodeos blocks.log");
         out << fmt::format("{:<16}{}\n", "version", log->version());
         out << fmt::format("{:<16}{}\n", "chain_id", log->chain_id().to_string());
         out << fmt::format("{:<16}{}\n", "genesis", log->genesis() ? "in preamble" : "chain id only");
         out << fmt::format("{:<16}{}\n", "first_block", log->first_block_num());
         out << fmt::format("{:<16}{}\n", "last_block", log->last_block_num());
         out << fmt::format("{:<16}{}\n", "blocks", li.count);
         out << fmt::format("{:<16}{} {}\n", "head", log->last_block_num(), li.head_id);
         out << fmt::format("{:<16}{}\n", "index", li.index_state);
         if (!li.walk_error.empty())
            out << fmt::format("{:<16}{}\n", "error", li.walk_error);
      }
      if (!ok) {
         const std::string index_error = li.index_unreadable ? li.index_state : "blocks.index: " + li.index_state;
         err << "blockdump: " << (li.walk_error.empty() ? index_error : li.walk_error) << '\n';
         rc = 1;
      }
   });
}

} // namespace blockdump
