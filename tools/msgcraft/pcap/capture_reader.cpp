#include "pcap/capture_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace msgcraft::pcap {

namespace {

/// --any-port: bytes a connection may carry without a first frame before it is not the protocol.
constexpr uint64_t max_bytes_before_handshake = 64 * 1024;

} // namespace

void capture_reader::segment(const tcp_segment& s, double ts) {
   const bool ours = opts_.any_port || opts_.ports.count(s.src.port) || opts_.ports.count(s.dst.port);
   if (!ours)
      return;
   const auto key = s.src < s.dst ? std::make_pair(s.src, s.dst) : std::make_pair(s.dst, s.src);
   auto [it, fresh] = flows_.try_emplace(key);
   flow& f = it->second;
   if (fresh) {
      f.number = next_number_++;
      f.syn_seen = s.syn;
      bool src_is_client;
      if (s.syn)
         src_is_client = !s.ack;
      else if (opts_.ports.count(s.dst.port) && !opts_.ports.count(s.src.port))
         src_is_client = true;
      else if (opts_.ports.count(s.src.port) && !opts_.ports.count(s.dst.port))
         src_is_client = false;
      else
         src_is_client = s.src.port > s.dst.port;
      f.client = src_is_client ? s.src : s.dst;
      f.server = src_is_client ? s.dst : s.src;
      f.accepted = !opts_.any_port;
   }
   if (f.rejected)
      return;
   const bool to_server = s.src == f.client;
   auto& d = to_server ? f.to_server : f.to_client;
   if (!d.stream) {
      d.scanner = std::make_unique<frame_scanner>(s.syn);
      d.stream = std::make_unique<tcp_stream>(*d.scanner);
   }
   d.stream->segment(s.seq, s.syn, s.payload, s.wire_payload, ts);
   if (!f.accepted)
      f.bytes_unaccepted += s.payload.size();
   collect(f, to_server);
}

void capture_reader::collect(flow& f, bool to_server) {
   auto& d = to_server ? f.to_server : f.to_client;
   const endpoint src = to_server ? f.client : f.server;
   const endpoint dst = to_server ? f.server : f.client;
   for (auto& n : d.scanner->take_notes()) {
      located_note ln{f.number, to_server, src, dst, std::move(n)};
      (f.accepted ? notes_ : f.pending_notes).push_back(std::move(ln));
   }
   for (auto& fr : d.scanner->take_frames()) {
      if (!f.accepted && !f.rejected) {
         if (fr.which == 0)
            f.accepted = true;
         else
            f.rejected = true;
         if (f.accepted)
            release(f);
      }
      if (f.rejected)
         break;
      frames_.push_back({f.number, to_server, src, dst, std::move(fr)});
   }
   if (!f.accepted && !f.rejected && f.bytes_unaccepted > max_bytes_before_handshake)
      f.rejected = true;
   if (f.rejected) {
      f.pending_notes.clear();
      f.to_server = {};
      f.to_client = {};
   }
}

void capture_reader::release(flow& f) {
   for (auto& n : f.pending_notes)
      notes_.push_back(std::move(n));
   f.pending_notes.clear();
}

void capture_reader::truncated_packet(double ts, const std::string& why) {
   located_note n;
   n.note = {ts, 0, "truncated", why};
   notes_.push_back(std::move(n));
}

void capture_reader::finish(double ts) {
   for (auto& [_, f] : flows_) {
      for (bool to_server : {true, false}) {
         auto& d = to_server ? f.to_server : f.to_client;
         if (f.rejected || !d.stream)
            continue;
         d.stream->finish(ts);
         d.scanner->finish(ts);
         collect(f, to_server);
      }
   }
}

std::vector<capture_reader::stream_info> capture_reader::streams() const {
   std::vector<stream_info> out;
   for (const auto& [_, f] : flows_)
      if (f.accepted)
         out.push_back({f.number, f.client, f.server, f.syn_seen});
   std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
   return out;
}

} // namespace msgcraft::pcap
