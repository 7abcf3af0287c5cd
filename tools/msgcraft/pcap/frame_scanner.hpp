#pragma once
/// Frames out of one direction's reassembled byte stream (tcp_stream's sink). In step, it reads
/// frame after frame as a peer does; after a gap, or from the start of a stream captured
/// mid-way, it looks for the next plausible frame: a length of 1 to 8 MiB whose payload decodes
/// exactly. What it skips and why is told as notes. Socket-free.
#include "pcap/tcp_stream.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace msgcraft::pcap {

class frame_scanner : public stream_sink {
public:
   struct frame {
      double ts = 0;       ///< capture time of the packet that completed it
      uint64_t offset = 0; ///< stream offset of its length prefix
      uint32_t which = 0;
      std::vector<uint8_t> payload; ///< message index + message
   };
   struct report {
      double ts = 0;
      uint64_t offset = 0;
      std::string kind; ///< "resync", "gap", "undecodable", "bad_length", "overlap", "truncated"
      std::string what;
   };

   /// `in_step`: the stream starts at a frame boundary (its SYN was captured).
   explicit frame_scanner(bool in_step) : in_step_(in_step), start_of_capture_(!in_step) {}

   void data(uint64_t offset, std::span<const uint8_t> bytes, double ts) override;
   void gap(uint64_t offset, uint64_t bytes, double ts, const std::string& why) override;
   void note(uint64_t offset, double ts, const std::string& what) override;
   /// End of the stream: what is left is judged with no more bytes to come.
   void finish(double ts);

   /// Frames and notes found since the last take (in stream order).
   std::vector<frame> take_frames() { return std::exchange(frames_, {}); }
   std::vector<report> take_notes() { return std::exchange(notes_, {}); }

private:
   void scan(bool final);
   /// The capture time of the byte at stream offset `end - 1`.
   double time_of(uint64_t end) const;

   bool in_step_;
   bool start_of_capture_; ///< resynchronising at the start of a stream captured mid-way
   uint64_t base_ = 0;     ///< stream offset of buf_[0]
   std::vector<uint8_t> buf_;
   std::size_t pos_ = 0;   ///< next byte to look at in buf_
   uint64_t skipped_from_ = 0;
   bool skipping_ = false;
   std::vector<std::pair<uint64_t, double>> times_; ///< (end offset, capture time) of the data held
   std::vector<frame> frames_;
   std::vector<report> notes_;
};

} // namespace msgcraft::pcap
