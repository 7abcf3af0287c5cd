#include "pcap/capture_file.hpp"

#include "pcap/packet.hpp"

#include <fmt/format.h>
#include <pcap/pcap.h>

#include <memory>

namespace msgcraft::pcap {

core::result<capture_stats> read_capture(const std::string& file, const capture_options& opts,
                                         const std::function<void(located_frame&&)>& on_frame,
                                         const std::function<void(const located_note&)>& on_note) {
   char errbuf[PCAP_ERRBUF_SIZE] = {};
   std::unique_ptr<pcap_t, decltype(&pcap_close)> handle(
      pcap_open_offline_with_tstamp_precision(file.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf), &pcap_close);
   if (!handle)
      return core::unexpected{fmt::format("{}: {}", file, errbuf)};
   const int link = pcap_datalink(handle.get());
   capture_reader reader(opts);
   capture_stats stats;
   double last_ts = 0;
   const auto drain = [&] {
      for (auto& n : reader.take_notes())
         on_note(n);
      for (auto& f : reader.take_frames())
         on_frame(std::move(f));
   };
   pcap_pkthdr* header = nullptr;
   const u_char* data = nullptr;
   int rc;
   while ((rc = pcap_next_ex(handle.get(), &header, &data)) == 1) {
      ++stats.packets;
      const double ts = double(header->ts.tv_sec) + double(header->ts.tv_usec) / 1e9; // nanosecond precision
      last_ts = ts;
      const auto parsed = parse_packet(link, std::span<const uint8_t>(data, header->caplen), header->len);
      if (const auto* s = std::get_if<tcp_segment>(&parsed)) {
         if (s->payload.size() < s->wire_payload)
            ++stats.truncated_packets;
         reader.segment(*s, ts);
      } else if (const auto& skip = std::get<skipped_packet>(parsed); skip.truncated) {
         ++stats.truncated_packets;
         reader.truncated_packet(ts, fmt::format("a packet of {} bytes captured as {}: {}", header->len, header->caplen,
                                                 skip.why));
      }
      drain();
   }
   if (rc == PCAP_ERROR)
      stats.read_error = pcap_geterr(handle.get());
   reader.finish(last_ts);
   drain();
   stats.streams = reader.streams();
   return stats;
}

} // namespace msgcraft::pcap
