#pragma once
/// `msgcraft pcap --summary`: per connection, the frames by message type and the bytes in each
/// direction, the handshakes seen, the go_aways, and what the reader had to report.
#include "pcap/capture_reader.hpp"

#include "net/messages.hpp"

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace msgcraft::pcap {

class stream_summary {
public:
   void frame(const located_frame& f, const core::net_message& m);
   void note(const located_note& n);
   /// One JSON object per connection, in connection order.
   std::vector<std::string> json_lines(const std::vector<capture_reader::stream_info>& streams) const;
   /// The same as an aligned table.
   void table(std::ostream& out, const std::vector<capture_reader::stream_info>& streams) const;

private:
   struct handshake_seen {
      bool to_server;
      double ts;
      core::handshake_message h;
   };
   struct go_away_seen {
      bool to_server;
      double ts;
      core::go_away_reason reason;
   };
   struct per_stream {
      std::map<std::string, uint64_t> frames[2]; ///< [0] to the server, [1] to the client
      uint64_t bytes[2] = {0, 0};
      std::vector<handshake_seen> handshakes;
      std::vector<go_away_seen> go_aways;
      std::map<std::string, uint64_t> notes;
   };
   std::map<unsigned, per_stream> streams_;
   std::map<std::string, uint64_t> unattached_notes_;
};

} // namespace msgcraft::pcap
