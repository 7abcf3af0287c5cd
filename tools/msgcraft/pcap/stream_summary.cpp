#include "pcap/stream_summary.hpp"

#include "net/frame.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ostream>

namespace msgcraft::pcap {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key(writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void str(writer& w, std::string_view k, std::string_view v) {
   key(w, k);
   w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}
void counts(writer& w, std::string_view k, const std::map<std::string, uint64_t>& m) {
   key(w, k);
   w.StartObject();
   for (const auto& [name, n] : m) {
      key(w, name);
      w.Uint64(n);
   }
   w.EndObject();
}
const char* dir_name(bool to_server) { return to_server ? "c2s" : "s2c"; }

} // namespace

void stream_summary::frame(const located_frame& f, const core::net_message& m) {
   auto& s = streams_[f.stream];
   const int d = f.to_server ? 0 : 1;
   ++s.frames[d][std::string(core::message_type_name(f.frame.which))];
   s.bytes[d] += core::frame_header_bytes + f.frame.payload.size();
   if (const auto* h = std::get_if<core::handshake_message>(&m))
      s.handshakes.push_back({f.to_server, f.frame.ts, *h});
   if (const auto* g = std::get_if<core::go_away_message>(&m))
      s.go_aways.push_back({f.to_server, f.frame.ts, g->reason});
}

void stream_summary::note(const located_note& n) {
   if (n.stream == 0)
      ++unattached_notes_[n.note.kind];
   else
      ++streams_[n.stream].notes[n.note.kind];
}

std::vector<std::string> stream_summary::json_lines(const std::vector<capture_reader::stream_info>& streams) const {
   std::vector<std::string> out;
   static const per_stream empty;
   for (const auto& info : streams) {
      const auto it = streams_.find(info.number);
      const auto& s = it == streams_.end() ? empty : it->second;
      rapidjson::StringBuffer sb;
      writer w(sb);
      w.StartObject();
      key(w, "stream");
      w.Uint(info.number);
      str(w, "client", info.client.to_string());
      str(w, "server", info.server.to_string());
      key(w, "from_start");
      w.Bool(info.syn_seen);
      key(w, "frames");
      w.StartObject();
      for (int d : {0, 1}) {
         key(w, dir_name(d == 0));
         w.StartObject();
         for (const auto& [name, n] : s.frames[d]) {
            key(w, name);
            w.Uint64(n);
         }
         w.EndObject();
      }
      w.EndObject();
      key(w, "bytes");
      w.StartObject();
      key(w, "c2s");
      w.Uint64(s.bytes[0]);
      key(w, "s2c");
      w.Uint64(s.bytes[1]);
      w.EndObject();
      key(w, "handshakes");
      w.StartArray();
      for (const auto& h : s.handshakes) {
         w.StartObject();
         str(w, "dir", dir_name(h.to_server));
         key(w, "ts");
         w.Double(h.ts);
         str(w, "agent", h.h.agent);
         key(w, "network_version");
         w.Uint(h.h.network_version);
         str(w, "chain_id", h.h.chain_id.to_string());
         str(w, "node_id", h.h.node_id.to_string());
         str(w, "p2p_address", h.h.p2p_address);
         str(w, "os", h.h.os);
         key(w, "generation");
         w.Int(h.h.generation);
         key(w, "head_num");
         w.Uint(h.h.head_num);
         key(w, "last_irreversible_block_num");
         w.Uint(h.h.last_irreversible_block_num);
         w.EndObject();
      }
      w.EndArray();
      key(w, "go_aways");
      w.StartArray();
      for (const auto& g : s.go_aways) {
         w.StartObject();
         str(w, "dir", dir_name(g.to_server));
         key(w, "ts");
         w.Double(g.ts);
         str(w, "reason", core::enum_name(g.reason));
         w.EndObject();
      }
      w.EndArray();
      counts(w, "notes", s.notes);
      w.EndObject();
      out.emplace_back(sb.GetString(), sb.GetSize());
   }
   return out;
}

void stream_summary::table(std::ostream& out, const std::vector<capture_reader::stream_info>& streams) const {
   static const per_stream empty;
   for (const auto& info : streams) {
      const auto it = streams_.find(info.number);
      const auto& s = it == streams_.end() ? empty : it->second;
      out << fmt::format("stream {}  {} -> {}{}\n", info.number, info.client.to_string(), info.server.to_string(),
                         info.syn_seen ? "" : "  (captured mid-way)");
      for (int d : {0, 1}) {
         uint64_t n = 0;
         for (const auto& [_, c] : s.frames[d])
            n += c;
         out << fmt::format("  {}  {:>8} frames {:>12} bytes\n", dir_name(d == 0), n, s.bytes[d]);
         for (const auto& [name, c] : s.frames[d])
            out << fmt::format("       {:<28} {:>8}\n", name, c);
      }
      for (const auto& h : s.handshakes)
         out << fmt::format("  handshake {}  \"{}\" network_version {} generation {} chain {}\n", dir_name(h.to_server),
                            h.h.agent, h.h.network_version, h.h.generation, h.h.chain_id.to_string());
      for (const auto& g : s.go_aways)
         out << fmt::format("  go_away {}  {}\n", dir_name(g.to_server), core::enum_name(g.reason));
      for (const auto& [kind, n] : s.notes)
         out << fmt::format("  reported  {:<12} {}\n", kind, n);
   }
   for (const auto& [kind, n] : unattached_notes_)
      out << fmt::format("packets reported  {:<12} {}\n", kind, n);
}

} // namespace msgcraft::pcap
