#pragma once
/// One direction of a captured TCP connection put back in order: segments in any order, with
/// retransmissions and overlaps, become the byte stream, delivered in order to a sink with the
/// capture time of the packet that let each piece be delivered (a piece held out of order is
/// delivered when the segment before it arrives). What cannot be delivered is told:
/// gaps (bytes never captured, or cut off by the snaplen) and overlaps whose data differs.
/// Socket-free. Sequence numbers wrap; offsets are 64-bit from the first byte seen.
#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace msgcraft::pcap {

class stream_sink {
public:
   virtual ~stream_sink() = default;
   /// In-order bytes starting at stream offset `offset`.
   virtual void data(uint64_t offset, std::span<const uint8_t> bytes, double ts) = 0;
   /// `bytes` bytes at `offset` that will never come (`why`: "not captured", "cut off by the snaplen").
   virtual void gap(uint64_t offset, uint64_t bytes, double ts, const std::string& why) = 0;
   /// Something worth telling (retransmitted data that differs, ...).
   virtual void note(uint64_t offset, double ts, const std::string& what) = 0;
};

class tcp_stream {
public:
   explicit tcp_stream(stream_sink& sink) : sink_(sink) {}

   /// One captured segment: `payload` holds the captured bytes of `wire_len` payload bytes.
   void segment(uint32_t seq, bool syn, std::span<const uint8_t> payload, uint32_t wire_len, double ts);
   /// End of the capture: what is still held is delivered across the gaps before it.
   void finish(double ts);

   /// No SYN was seen before the first data: the stream starts at an unknown place.
   bool mid_stream() const { return mid_stream_; }
   uint64_t delivered() const { return next_; }

   /// Out-of-order bytes held before the lowest is given up as a gap.
   static constexpr std::size_t max_held_bytes = 32 * 1024 * 1024;
   /// Delivered bytes kept to compare retransmissions with.
   static constexpr std::size_t window_bytes = 1024 * 1024;

private:
   struct held {
      std::vector<uint8_t> bytes; ///< empty with hole > 0: bytes known to be missing
      uint64_t hole = 0;
      double ts = 0;
   };
   uint64_t offset_of(uint32_t seq) const;
   void hold(uint64_t off, held h);
   void drain(double ts);
   void deliver(uint64_t off, std::span<const uint8_t> bytes, double ts);
   void compare(uint64_t off, std::span<const uint8_t> bytes, double ts);

   stream_sink& sink_;
   bool started_ = false;
   bool mid_stream_ = false;
   uint32_t base_ = 0;  ///< sequence number of offset 0
   uint64_t next_ = 0;  ///< next offset to deliver
   std::multimap<uint64_t, held> held_;
   std::size_t held_bytes_ = 0;
   std::deque<uint8_t> window_; ///< the last delivered bytes, ending at next_
};

} // namespace msgcraft::pcap
