#include "pcap/frame_scanner.hpp"

#include "codec/limits.hpp"
#include "codec/schema_walk.hpp"
#include "net/frame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace msgcraft::pcap {

void frame_scanner::data(uint64_t offset, std::span<const uint8_t> bytes, double ts) {
   if (buf_.empty() && pos_ == 0)
      base_ = offset;
   buf_.insert(buf_.end(), bytes.begin(), bytes.end());
   times_.emplace_back(offset + bytes.size(), ts);
   scan(false);
}

void frame_scanner::gap(uint64_t offset, uint64_t bytes, double ts, const std::string& why) {
   scan(true); // what is buffered before the gap is all there will be of it
   notes_.push_back({ts, offset, "gap", fmt::format("{} bytes {}", bytes, why)});
   if (!skipping_ && (in_step_ || pos_ < buf_.size())) {
      skipping_ = true;
      skipped_from_ = base_ + pos_;
   }
   in_step_ = false;
   buf_.clear();
   pos_ = 0;
   times_.clear();
   base_ = offset + bytes;
}

void frame_scanner::note(uint64_t offset, double ts, const std::string& what) {
   notes_.push_back({ts, offset, "overlap", what});
}

void frame_scanner::finish(double ts) {
   scan(true);
   if (pos_ < buf_.size())
      notes_.push_back({ts, base_ + pos_, in_step_ ? "truncated" : "resync",
                        fmt::format("the stream ends with {} bytes that make no complete frame", buf_.size() - pos_)});
}

double frame_scanner::time_of(uint64_t end) const {
   for (const auto& [e, ts] : times_)
      if (e >= end)
         return ts;
   return times_.empty() ? 0 : times_.back().second;
}

void frame_scanner::scan(bool final) {
   constexpr std::size_t header = core::frame_header_bytes;
   for (;;) {
      const std::size_t left = buf_.size() - pos_;
      if (left < header)
         break;
      uint32_t len = 0;
      std::memcpy(&len, buf_.data() + pos_, sizeof len);
      const bool length_ok = len != 0 && len <= core::limits::max_message_bytes;
      if (in_step_) {
         if (!length_ok) {
            notes_.push_back({time_of(base_ + buf_.size()), base_ + pos_, "bad_length",
                              fmt::format("frame length {} (must be 1..{}); resynchronising", len,
                                          core::limits::max_message_bytes)});
            in_step_ = false;
            skipping_ = true;
            skipped_from_ = base_ + pos_;
            ++pos_;
            continue;
         }
         if (left < header + len)
            break;
         const auto payload = std::span<const uint8_t>(buf_).subspan(pos_ + header, len);
         if (auto m = core::decode_payload(payload); !m) {
            auto e = m.error();
            notes_.push_back({time_of(base_ + pos_ + header + len), base_ + pos_, "undecodable",
                              fmt::format("a frame of {} bytes does not decode: {}", len, e.message())});
         } else {
            frames_.push_back({time_of(base_ + pos_ + header + len), base_ + pos_,
                               core::read_varuint32_at(payload).value, std::vector<uint8_t>(payload.begin(), payload.end())});
         }
         pos_ += header + len;
         continue;
      }
      // Resynchronising: the next place where a whole frame decodes.
      if (length_ok && left < header + len) {
         if (!final)
            break; // it may still become a frame
         ++pos_;
         continue;
      }
      if (length_ok) {
         const auto payload = std::span<const uint8_t>(buf_).subspan(pos_ + header, len);
         if (core::decode_payload(payload)) {
            const uint64_t at = base_ + pos_;
            const uint64_t skipped = skipping_ ? at - skipped_from_ : at - base_;
            notes_.push_back({time_of(at + header + len), at, "resync",
                              start_of_capture_
                                 ? fmt::format("the capture starts mid-stream; resynchronised at byte {} ({} bytes "
                                               "skipped)",
                                               at, skipped)
                                 : fmt::format("resynchronised at byte {} ({} bytes skipped since byte {})", at,
                                               skipped, skipping_ ? skipped_from_ : base_)});
            in_step_ = true;
            skipping_ = false;
            start_of_capture_ = false;
            continue;
         }
      }
      ++pos_;
   }
   // Drop what was read; keep the rest (and the times that still cover it).
   if (pos_ > 0 && (pos_ > 64 * 1024 || pos_ == buf_.size())) {
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
      base_ += pos_;
      pos_ = 0;
      std::erase_if(times_, [&](const auto& t) { return t.first <= base_; });
   }
}

} // namespace msgcraft::pcap
