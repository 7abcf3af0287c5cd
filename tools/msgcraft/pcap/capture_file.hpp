#pragma once
/// Reads a pcap or pcapng file with libpcap and runs its packets through a capture_reader:
/// the only place that touches libpcap.
#include "pcap/capture_reader.hpp"

#include "codec/result.hpp"

#include <functional>
#include <string>
#include <vector>

namespace msgcraft::pcap {

struct capture_stats {
   std::vector<capture_reader::stream_info> streams;
   uint64_t packets = 0;
   uint64_t truncated_packets = 0; ///< cut short by the snaplen
   std::string read_error;         ///< the file ended in a damaged record (what came before was read)
};

/// Error: the file cannot be opened or is not a capture (one line).
core::result<capture_stats> read_capture(const std::string& file, const capture_options& opts,
                                         const std::function<void(located_frame&&)>& on_frame,
                                         const std::function<void(const located_note&)>& on_note);

} // namespace msgcraft::pcap
