// msgcraft pcap: the protocol's frames in a pcap or pcapng capture (read with libpcap), as the
// JSON lines decode prints, with capture time, source, destination and direction.
#include "commands.hpp"
#include "send_input.hpp"

#include "pcap/capture_file.hpp"
#include "pcap/stream_summary.hpp"

#include "codec/json_archive.hpp"
#include "net/frame.hpp"

#include <fmt/format.h>

#include <memory>
#include <ostream>

namespace msgcraft {

namespace {

struct pcap_options {
   std::string file;
   std::vector<uint16_t> ports;
   bool any_port = false;
   bool summary = false;
   bool pretty = false;
};

using writer = core::json_output_archive::writer_type;

std::string frame_json(const pcap::located_frame& f, const core::net_message& m) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   w.Key("ts");
   w.Double(f.frame.ts);
   w.Key("stream");
   w.Uint(f.stream);
   const auto src = f.src.to_string(), dst = f.dst.to_string();
   w.Key("src");
   w.String(src.c_str(), static_cast<rapidjson::SizeType>(src.size()));
   w.Key("dst");
   w.String(dst.c_str(), static_cast<rapidjson::SizeType>(dst.size()));
   w.Key("dir");
   w.String(f.to_server ? "c2s" : "s2c");
   write_frame_fields(w, f.frame.which, f.frame.payload.size(), m);
   w.EndObject();
   return std::string(sb.GetString(), sb.GetSize());
}

void print_note(std::ostream& err, const pcap::located_note& n) {
   if (n.stream == 0)
      err << fmt::format("msgcraft pcap: {:.6f}: {}\n", n.note.ts, n.note.what);
   else
      err << fmt::format("msgcraft pcap: {:.6f} stream {} {} -> {} at byte {}: {}\n", n.note.ts, n.stream,
                         n.src.to_string(), n.dst.to_string(), n.note.offset, n.note.what);
}

int run_pcap(const pcap_options& o, const streams& io) {
   pcap::capture_options copts;
   if (!o.ports.empty())
      copts.ports = {o.ports.begin(), o.ports.end()};
   copts.any_port = o.any_port;
   pcap::stream_summary summary;
   auto stats = pcap::read_capture(
      o.file, copts,
      [&](pcap::located_frame&& f) {
         auto m = core::decode_payload(f.frame.payload); // the scanner keeps only frames that decode
         if (!m)
            return;
         if (o.summary)
            summary.frame(f, *m);
         else
            io.out << (o.pretty ? pretty_json(frame_json(f, *m)) : frame_json(f, *m)) << '\n';
      },
      [&](const pcap::located_note& n) {
         print_note(io.err, n);
         summary.note(n);
      });
   if (!stats)
      return fail(io.err, stats.error());
   if (stats->truncated_packets)
      io.err << fmt::format("msgcraft pcap: {} of {} packets cut short by the capture's snaplen\n",
                            stats->truncated_packets, stats->packets);
   if (o.summary) {
      for (const auto& l : summary.json_lines(stats->streams))
         io.out << l << '\n';
      summary.table(io.err, stats->streams);
   }
   io.out << std::flush;
   if (!stats->read_error.empty())
      return fail(io.err, fmt::format("{}: {} (what came before was read)", o.file, stats->read_error));
   io.err << std::flush;
   return exit_ok;
}

} // namespace

command add_pcap_command(CLI::App& app, const streams& io) {
   auto o = std::make_shared<pcap_options>();
   auto* cmd = app.add_subcommand("pcap", "Decode the protocol's frames in a pcap or pcapng capture");
   cmd->add_option("file", o->file, "The capture (pcap or pcapng)")->required()->type_name("FILE");
   cmd->add_option("--port", o->ports, "Read connections on this TCP port (repeatable; default 9876)")
      ->type_name("N")
      ->allow_extra_args(false)
      ->check(CLI::Range(1, 65535));
   cmd->add_flag("--any-port", o->any_port, "Read every connection whose first frame is a handshake, on any port");
   cmd->add_flag("--summary", o->summary, "Per connection: frames by type, bytes, handshakes and go_aways");
   cmd->add_flag("--pretty", o->pretty, "Indent the JSON");
   return {cmd, [o, &io] {
              if (o->any_port && !o->ports.empty())
                 throw usage_error("--any-port", "--any-port reads every port; drop --port");
              return run_pcap(*o, io);
           }};
}

} // namespace msgcraft
