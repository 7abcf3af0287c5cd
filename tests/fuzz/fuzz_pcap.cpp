// libFuzzer target: `msgcraft pcap` on an arbitrary file. The input is the capture (pcap or
// pcapng, read by libpcap from a memory file, as the command reads a file), run through the same
// read_capture, then --summary's stream_summary; once on port 9876, once with --any-port.
// Properties: every frame reported decodes, carries its own message index, is at most the frame
// limit, and follows the previous frame of its direction without overlapping it; frames and
// notes belong to the connections reported, with their endpoints; notes are of the documented
// kinds; the summary's JSON lines parse.
#include "fuzz_check.hpp"
#include "memory_file.hpp"

#include "pcap/capture_file.hpp"
#include "pcap/stream_summary.hpp"

#include "codec/limits.hpp"
#include "codec/schema_walk.hpp"

#include <rapidjson/document.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace pcap = msgcraft::pcap;

bool documented_kind(const std::string& k) {
   static const std::set<std::string> kinds{"resync", "gap", "undecodable", "bad_length", "overlap", "truncated"};
   return kinds.count(k) > 0;
}

void read_and_check(const std::string& file, const pcap::capture_options& opts) {
   struct located {
      pcap::endpoint src, dst;
   };
   std::vector<std::pair<unsigned, located>> seen; // (stream, endpoints) of every frame and note
   std::map<std::pair<unsigned, bool>, std::pair<uint64_t, uint64_t>> last_end; // (stream, dir) -> (offset, end)
   pcap::stream_summary summary;
   auto stats = pcap::read_capture(
      file, opts,
      [&](pcap::located_frame&& f) {
         const auto& p = f.frame.payload;
         FUZZ_CHECK(!p.empty() && p.size() <= core::limits::max_message_bytes);
         auto m = core::decode_payload(p);
         FUZZ_CHECK(m.has_value()); // the scanner reports only frames that decode
         FUZZ_CHECK(core::read_varuint32_at(p).value == f.frame.which);
         FUZZ_CHECK(f.stream >= 1);
         const auto key = std::make_pair(f.stream, f.to_server);
         if (auto it = last_end.find(key); it != last_end.end())
            FUZZ_CHECK(f.frame.offset >= it->second.second);
         last_end[key] = {f.frame.offset, f.frame.offset + core::frame_header_bytes + p.size()};
         seen.push_back({f.stream, {f.to_server ? f.src : f.dst, f.to_server ? f.dst : f.src}});
         summary.frame(f, *m);
      },
      [&](const pcap::located_note& n) {
         FUZZ_CHECK(documented_kind(n.note.kind));
         FUZZ_CHECK(!n.note.what.empty());
         FUZZ_CHECK(n.stream != 0 || n.note.kind == "truncated"); // only a packet note has no connection
         if (n.stream != 0)
            seen.push_back({n.stream, {n.to_server ? n.src : n.dst, n.to_server ? n.dst : n.src}});
         summary.note(n);
      });
   if (!stats) {
      FUZZ_CHECK(!stats.error().empty());
      FUZZ_CHECK(seen.empty());
      return;
   }
   FUZZ_CHECK(stats->truncated_packets <= stats->packets);
   // Every frame and note belongs to a reported connection, client and server as reported.
   std::map<unsigned, located> streams;
   unsigned previous = 0;
   for (const auto& s : stats->streams) {
      FUZZ_CHECK(s.number > previous);
      previous = s.number;
      streams[s.number] = {s.client, s.server};
   }
   for (const auto& [number, ends] : seen) {
      const auto it = streams.find(number);
      FUZZ_CHECK(it != streams.end());
      FUZZ_CHECK(it->second.src == ends.src && it->second.dst == ends.dst);
   }
   for (const auto& line : summary.json_lines(stats->streams)) {
      rapidjson::Document d;
      d.Parse(line.c_str(), line.size());
      FUZZ_CHECK(!d.HasParseError() && d.IsObject());
   }
   std::ostringstream table;
   summary.table(table, stats->streams);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const fuzz::memory_file file({data, size});
   read_and_check(file.path(), {});
   pcap::capture_options any;
   any.any_port = true;
   read_and_check(file.path(), any);
   return 0;
}
