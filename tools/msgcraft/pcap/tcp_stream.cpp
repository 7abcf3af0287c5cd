#include "pcap/tcp_stream.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace msgcraft::pcap {

uint64_t tcp_stream::offset_of(uint32_t seq) const {
   const auto here = static_cast<uint32_t>(base_ + static_cast<uint32_t>(next_));
   const auto delta = static_cast<int32_t>(seq - here);
   if (delta < 0 && static_cast<uint64_t>(-int64_t(delta)) > next_)
      return UINT64_MAX; // before the start of what this stream knows
   return next_ + delta;
}

void tcp_stream::segment(uint32_t seq, bool syn, std::span<const uint8_t> payload, uint32_t wire_len, double ts) {
   if (syn) {
      if (!started_) {
         started_ = true;
         base_ = seq + 1;
      }
      seq += 1; // a SYN takes one sequence number (SYN data is rare but allowed)
   }
   if (wire_len == 0)
      return;
   if (!started_) {
      started_ = true;
      mid_stream_ = true;
      base_ = seq;
   }
   const uint64_t off = offset_of(seq);
   if (off == UINT64_MAX)
      return;
   if (!payload.empty())
      hold(off, {std::vector<uint8_t>(payload.begin(), payload.end()), 0, ts});
   if (wire_len > payload.size())
      hold(off + payload.size(), {{}, wire_len - payload.size(), ts});
   drain(ts);
   // Too much waits for a segment that is not coming: give up on it.
   while (held_bytes_ > max_held_bytes && !held_.empty()) {
      const auto first = held_.begin()->first;
      if (first > next_) {
         sink_.gap(next_, first - next_, held_.begin()->second.ts, "not captured");
         next_ = first;
         window_.clear();
      }
      drain(ts);
   }
}

void tcp_stream::hold(uint64_t off, held h) {
   held_bytes_ += h.bytes.size();
   held_.emplace(off, std::move(h));
}

void tcp_stream::compare(uint64_t off, std::span<const uint8_t> bytes, double ts) {
   // bytes cover [off, off + size) with off + size <= next_: already delivered.
   const uint64_t window_start = next_ - window_.size();
   for (std::size_t i = 0; i < bytes.size(); ++i) {
      const uint64_t at = off + i;
      if (at < window_start)
         continue;
      if (window_[at - window_start] != bytes[i]) {
         sink_.note(at, ts,
                    fmt::format("a retransmitted segment's {} bytes at offset {} differ from the data already taken; "
                                "the first copy is kept",
                                bytes.size(), off));
         return;
      }
   }
}

void tcp_stream::deliver(uint64_t off, std::span<const uint8_t> bytes, double ts) {
   sink_.data(off, bytes, ts);
   window_.insert(window_.end(), bytes.begin(), bytes.end());
   if (window_.size() > window_bytes)
      window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(window_.size() - window_bytes));
   next_ = off + bytes.size();
}

void tcp_stream::drain(double ts) {
   while (!held_.empty() && held_.begin()->first <= next_) {
      auto node = held_.extract(held_.begin());
      const uint64_t off = node.key();
      held& h = node.mapped();
      held_bytes_ -= h.bytes.size();
      if (h.bytes.empty()) { // a hole: bytes cut off by the snaplen
         const uint64_t end = off + h.hole;
         if (end > next_) {
            sink_.gap(next_, end - next_, std::max(h.ts, ts), "cut off by the snaplen");
            next_ = end;
            window_.clear();
         }
         continue;
      }
      const uint64_t end = off + h.bytes.size();
      const std::size_t old = static_cast<std::size_t>(std::min(end, next_) - off);
      if (old > 0)
         compare(off, std::span<const uint8_t>(h.bytes).first(old), h.ts);
      if (end > next_)
         deliver(next_, std::span<const uint8_t>(h.bytes).subspan(old), std::max(h.ts, ts));
   }
}

void tcp_stream::finish(double ts) {
   while (!held_.empty()) {
      const auto first = held_.begin()->first;
      if (first > next_) {
         sink_.gap(next_, first - next_, ts, "not captured");
         next_ = first;
         window_.clear();
      }
      drain(ts);
   }
}

} // namespace msgcraft::pcap
