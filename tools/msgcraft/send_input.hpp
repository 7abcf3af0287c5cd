#pragma once
/// What `msgcraft send` sends and prints: message arguments turned into frames, and received or
/// sent frames turned into the JSON lines it writes.
#include "codec/json_archive.hpp"
#include "codec/result.hpp"
#include "net/messages.hpp"

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace msgcraft {

/// One message argument as a frame ready to send: a JSON object as `msgcraft decode` prints it
/// ({"type": T, "message": {...}}; "which" and "size" are ignored, short type names work) or the
/// hex of one complete frame that decodes. Error: one line, without the input's location.
core::result<std::vector<uint8_t>> frame_from_text(std::string_view text);

/// "2025-01-02T03:04:05.678Z": UTC, milliseconds.
std::string iso8601_ms(std::chrono::system_clock::time_point t);

/// The members of one frame's JSON, "which", "type", "size" (payload bytes) and "message", into
/// an open object: what `decode` prints for a frame and what frame_line prints after "t" and "dir".
void write_frame_fields(core::json_output_archive::writer_type& w, uint32_t which, std::size_t payload_size,
                        const core::net_message& msg);

/// {"t", "dir", "which", "type", "size", "message"}: decode's frame JSON behind a timestamp and a
/// direction ("in" or "out"); `automatic` adds "auto": true (the session's own time replies).
std::string frame_line(std::chrono::system_clock::time_point t, std::string_view dir, uint32_t which,
                       std::size_t payload_size, const core::net_message& msg, bool automatic = false);
/// {"t", "dir": "out", "raw": hex, "size": bytes}: bytes sent unchanged.
std::string raw_line(std::chrono::system_clock::time_point t, std::span<const uint8_t> bytes);
/// {"t", "dir": "in", "error": what, "offset": stream byte offset}.
std::string error_line(std::chrono::system_clock::time_point t, std::string_view what, std::size_t offset);
/// {"t", "event": name, "reason": why}.
std::string event_line(std::chrono::system_clock::time_point t, std::string_view event, std::string_view reason);

} // namespace msgcraft
