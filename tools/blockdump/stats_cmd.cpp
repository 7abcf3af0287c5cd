#include "stats_cmd.hpp"

#include "block_source.hpp"
#include "progress.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <ostream>

namespace blockdump {

namespace {
struct stats_options {
   source_options src;
   bool json = false;
};

struct log_stats {
   uint32_t blocks = 0;
   uint32_t first_block_num = 0;
   uint32_t last_block_num = 0;
   uint64_t block_bytes = 0; ///< sum of the packed blocks (without the 8-byte positions)
   uint64_t file_bytes = 0;  ///< size of blocks.log (preamble included) or of the store's files
   uint64_t transactions = 0;
   std::size_t trx_min = std::numeric_limits<std::size_t>::max();
   std::size_t trx_max = 0;
   std::map<std::string, uint32_t> per_producer; ///< blocks 2.. (block 1 is the genesis block, produced by no one)
   /// Sum over consecutive blocks from block 2 of (slot gap - 1). Block 1's timestamp is the
   /// genesis's, which may lie long before production started: it counts no missed slots.
   uint64_t missed_slots = 0;
   core::block_timestamp first_ts, last_ts;
   std::optional<core::block_timestamp> last_produced_ts; ///< of the last block after block 1

   double trx_avg() const { return blocks ? double(transactions) / blocks : 0.0; }
};

void print_json(std::ostream& out, const log_stats& s) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   w.StartObject();
   w.Key("blocks");
   w.Uint(s.blocks);
   w.Key("first_block_num");
   w.Uint(s.first_block_num);
   w.Key("last_block_num");
   w.Uint(s.last_block_num);
   w.Key("block_bytes");
   w.Uint64(s.block_bytes);
   w.Key("file_bytes");
   w.Uint64(s.file_bytes);
   w.Key("transactions");
   w.Uint64(s.transactions);
   w.Key("trx_per_block_min");
   w.Uint64(s.blocks ? s.trx_min : 0);
   w.Key("trx_per_block_avg");
   w.Double(s.trx_avg());
   w.Key("trx_per_block_max");
   w.Uint64(s.trx_max);
   w.Key("blocks_per_producer");
   w.StartObject();
   for (const auto& [p, n] : s.per_producer) {
      w.Key(p.c_str());
      w.Uint(n);
   }
   w.EndObject();
   w.Key("missed_slots");
   w.Uint64(s.missed_slots);
   w.Key("first_timestamp");
   s.blocks ? (void)w.String(s.first_ts.to_string().c_str()) : (void)w.Null();
   w.Key("last_timestamp");
   s.blocks ? (void)w.String(s.last_ts.to_string().c_str()) : (void)w.Null();
   w.EndObject();
   out << sb.GetString() << '\n';
}

void print_text(std::ostream& out, const log_stats& s) {
   out << fmt::format("{:<20}{}\n", "blocks", s.blocks);
   out << fmt::format("{:<20}{}..{}\n", "range", s.first_block_num, s.last_block_num);
   out << fmt::format("{:<20}{}\n", "block_bytes", s.block_bytes);
   out << fmt::format("{:<20}{}\n", "file_bytes", s.file_bytes);
   out << fmt::format("{:<20}{}\n", "transactions", s.transactions);
   out << fmt::format("{:<20}min {} avg {:.2f} max {}\n", "trx_per_block", s.blocks ? s.trx_min : 0, s.trx_avg(),
                      s.trx_max);
   out << fmt::format("{:<20}{}\n", "missed_slots", s.missed_slots);
   if (s.blocks) {
      out << fmt::format("{:<20}{}\n", "first_timestamp", s.first_ts.to_string());
      out << fmt::format("{:<20}{}\n", "last_timestamp", s.last_ts.to_string());
   }
   for (const auto& [p, n] : s.per_producer)
      out << fmt::format("{:<20}{:<13}{}\n", "producer", p, n);
}
} // namespace

void add_stats_command(CLI::App& app, std::ostream& out, std::ostream& err, int& rc) {
   auto opt = std::make_shared<stats_options>();
   auto* cmd = app.add_subcommand("stats", "blocks, bytes, transactions per block, producers, missed slots");
   add_source_options(*cmd, opt->src);
   cmd->add_flag("--json", opt->json, "one JSON object");
   cmd->callback([opt, &out, &err, &rc] {
      auto src = block_source::open(opt->src);
      if (!src) {
         err << "blockdump: " << src.error() << '\n';
         rc = 1;
         return;
      }
      log_stats s;
      s.first_block_num = (*src)->first_block_num();
      s.last_block_num = (*src)->last_block_num();
      s.file_bytes = (*src)->size_bytes();
      progress prog(err, "stats", s.first_block_num, s.last_block_num);
      auto walked = (*src)->walk(s.first_block_num, s.last_block_num, false, [&](const source_block& e) {
         const auto& b = e.block;
         if (s.blocks == 0)
            s.first_ts = b.timestamp;
         s.last_ts = b.timestamp;
         if (e.block_num > 1) {
            if (s.last_produced_ts && b.timestamp.slot > s.last_produced_ts->slot + 1)
               s.missed_slots += b.timestamp.slot - s.last_produced_ts->slot - 1;
            s.last_produced_ts = b.timestamp;
            ++s.per_producer[b.producer.to_string()];
         }
         ++s.blocks;
         s.block_bytes += e.bytes.size();
         s.transactions += b.transactions.size();
         s.trx_min = std::min(s.trx_min, b.transactions.size());
         s.trx_max = std::max(s.trx_max, b.transactions.size());
         prog.update(e.block_num);
         return true;
      });
      if (!walked) {
         err << "blockdump: " << walked.error() << '\n';
         rc = 1;
         return;
      }
      if (opt->json)
         print_json(out, s);
      else
         print_text(out, s);
   });
}

} // namespace blockdump
