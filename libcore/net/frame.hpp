#pragma once
/// net_plugin framing (PROTOCOL.md §1): u32 little-endian payload length, then the payload =
/// varuint32 message index + the packed message. Sans-I/O: used by sessions, fuzzers and
/// msgcraft alike.
#include "codec/byte_writer.hpp"
#include "codec/codec.hpp"
#include "codec/decode_error.hpp"
#include "codec/result.hpp"
#include "net/messages.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace core {

inline constexpr std::size_t frame_header_bytes = 4;

/// Payload (index + body) of a message.
template <class T>
std::vector<uint8_t> encode_payload(const T& msg) {
   byte_writer w;
   w.write_varuint32(message_index_v<T>);
   pack_to(w, msg);
   return w.take();
}
std::vector<uint8_t> encode_payload(const net_message& msg);

/// A whole frame: length prefix + payload.
std::vector<uint8_t> frame_payload(std::span<const uint8_t> payload);
template <class T>
std::vector<uint8_t> encode_frame(const T& msg) {
   return frame_payload(encode_payload(msg));
}

/// Decodes a payload: a known index and a message that uses exactly all the payload bytes
/// (nodeos would desynchronise otherwise). Offsets in errors count from the payload start.
result<net_message, decode_error> decode_payload(std::span<const uint8_t> payload);

/// Incremental frame splitter. Feed bytes as they arrive and pull frames; a bad length
/// (0 or above limits::max_message_bytes) puts it in a permanent error state.
class frame_decoder {
public:
   struct frame {
      uint32_t which;                    ///< message index (first varuint32 of the payload)
      std::span<const uint8_t> payload;  ///< index + body; valid until the next feed()
      std::size_t offset;                ///< stream offset of the frame's length prefix
   };

   /// Appends received bytes.
   void feed(std::span<const uint8_t> data);
   /// The next complete frame, nullopt when more bytes are needed, or the framing error.
   result<std::optional<frame>, decode_error> next();

   bool failed() const { return failed_; }
   /// Bytes received but not yet returned as frames.
   std::size_t buffered() const { return buf_.size() - start_; }
   /// Total stream bytes consumed as complete frames.
   std::size_t consumed() const { return consumed_; }

private:
   std::vector<uint8_t> buf_;
   std::size_t start_ = 0;
   std::size_t consumed_ = 0;
   bool failed_ = false;
   decode_error error_;
};

} // namespace core
