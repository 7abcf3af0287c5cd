#include "net/frame.hpp"

#include <cstring>

namespace core {

std::vector<uint8_t> encode_payload(const net_message& msg) {
   return std::visit([](const auto& m) { return encode_payload(m); }, msg);
}

std::vector<uint8_t> frame_payload(std::span<const uint8_t> payload) {
   std::vector<uint8_t> out(frame_header_bytes + payload.size());
   const uint32_t n = static_cast<uint32_t>(payload.size());
   std::memcpy(out.data(), &n, 4);
   if (!payload.empty())
      std::memcpy(out.data() + frame_header_bytes, payload.data(), payload.size());
   return out;
}

namespace {
template <std::size_t I = 0>
void decode_alternative(raw_input_archive& ar, net_message& m, uint32_t index) {
   if constexpr (I < message_count) {
      if (index == I) {
         ar(m.template emplace<I>());
         return;
      }
      decode_alternative<I + 1>(ar, m, index);
   }
}
} // namespace

result<net_message, decode_error> decode_payload(std::span<const uint8_t> payload) {
   byte_reader r(payload);
   if (payload.size() > limits::max_message_bytes) {
      r.fail(decode_errc::message_too_large, fmt::format("{} bytes", payload.size()));
      return unexpected{r.error()};
   }
   uint32_t index = r.read_varuint32();
   if (r.ok() && index >= message_count)
      r.fail_at(0, decode_errc::unknown_variant, fmt::format("message index {}", index));
   net_message m;
   if (r.ok()) {
      r.push_field(message_type_name(index).data());
      raw_input_archive ar(r);
      decode_alternative(ar, m, index);
      r.pop();
   }
   if (r.ok() && r.remaining() != 0)
      r.fail(decode_errc::trailing_bytes,
             fmt::format("message ends {} bytes before its declared length", r.remaining()));
   if (!r.ok())
      return unexpected{r.error()};
   return m;
}

void frame_decoder::feed(std::span<const uint8_t> data) {
   if (failed_ || data.empty())
      return;
   if (start_ > 0 && start_ == buf_.size()) {
      buf_.clear();
      start_ = 0;
   } else if (start_ > (1u << 16) && start_ * 2 > buf_.size()) {
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
      start_ = 0;
   }
   buf_.insert(buf_.end(), data.begin(), data.end());
}

result<std::optional<frame_decoder::frame>, decode_error> frame_decoder::next() {
   if (failed_)
      return unexpected{error_};
   if (buffered() < frame_header_bytes)
      return std::optional<frame>{};
   uint32_t len;
   std::memcpy(&len, buf_.data() + start_, 4);
   if (len == 0 || len > limits::max_message_bytes) {
      failed_ = true;
      error_ = decode_error{len == 0 ? decode_errc::bad_value : decode_errc::message_too_large, consumed_, "length",
                            fmt::format("frame length {} (must be 1..{})", len, limits::max_message_bytes)};
      return unexpected{error_};
   }
   if (buffered() < frame_header_bytes + len)
      return std::optional<frame>{};
   std::span<const uint8_t> payload(buf_.data() + start_ + frame_header_bytes, len);
   byte_reader r(payload);
   uint32_t which = r.read_varuint32();
   if (!r.ok()) {
      failed_ = true;
      error_ = r.error();
      error_.offset += consumed_ + frame_header_bytes;
      return unexpected{error_};
   }
   frame f{which, payload, consumed_};
   start_ += frame_header_bytes + len;
   consumed_ += frame_header_bytes + len;
   return std::optional<frame>{f};
}

} // namespace core
