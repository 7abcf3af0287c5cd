#pragma once
/// The TCP connections of a capture that carry the protocol, each direction reassembled and cut
/// into frames: fed parsed segments in capture order, it yields frames and notes in that order.
/// Socket-free and libpcap-free (pcap_cmd.cpp reads the file).
#include "pcap/frame_scanner.hpp"
#include "pcap/packet.hpp"
#include "pcap/tcp_stream.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace msgcraft::pcap {

struct capture_options {
   std::set<uint16_t> ports{9876}; ///< a connection is read when one end uses one of these
   bool any_port = false;          ///< instead: read a connection whose first frame is a handshake
};

/// A frame with where it was seen.
struct located_frame {
   unsigned stream = 0;   ///< connection number, from 1, in order of first packet
   bool to_server = true; ///< sent by the side that opened the connection
   endpoint src, dst;
   frame_scanner::frame frame;
};

struct located_note {
   unsigned stream = 0;
   bool to_server = true;
   endpoint src, dst;
   frame_scanner::report note;
};

class capture_reader {
public:
   explicit capture_reader(capture_options o) : opts_(std::move(o)) {}

   void segment(const tcp_segment& s, double ts);
   /// A packet that carries no TCP segment because the capture cut it short.
   void truncated_packet(double ts, const std::string& why);
   /// End of the capture.
   void finish(double ts);

   std::vector<located_frame> take_frames() { return std::exchange(frames_, {}); }
   std::vector<located_note> take_notes() { return std::exchange(notes_, {}); }

   /// The connections read so far: (number, client, server).
   struct stream_info {
      unsigned number = 0;
      endpoint client, server;
      bool syn_seen = false;
   };
   std::vector<stream_info> streams() const;

private:
   struct direction_state {
      std::unique_ptr<frame_scanner> scanner;
      std::unique_ptr<tcp_stream> stream;
   };
   struct flow {
      unsigned number = 0;
      endpoint client, server;
      bool syn_seen = false;
      bool accepted = false;  ///< its frames are reported
      bool rejected = false;  ///< --any-port: not the protocol
      uint64_t bytes_unaccepted = 0;
      direction_state to_server, to_client;
      std::vector<located_note> pending_notes; ///< --any-port: held until the flow is accepted
   };
   void collect(flow& f, bool to_server);
   void release(flow& f);

   capture_options opts_;
   std::map<std::pair<endpoint, endpoint>, flow> flows_;
   unsigned next_number_ = 1;
   std::vector<located_frame> frames_;
   std::vector<located_note> notes_;
};

} // namespace msgcraft::pcap
