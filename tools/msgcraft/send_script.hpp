#pragma once
/// The file form of what `msgcraft send -f F` sends, one item a line: the reproducers that
/// `msgcraft fuzz` saves are in this form, so any finding replays with `msgcraft send -f`.
///
///   # a comment                          ignored, as are blank lines
///   {"which":6,"type":"sync_request_message","message":{...}}   a message as decode prints it
///   0900000006...                        the hex of one complete frame that decodes
///   {"raw":"0000000006"}                 bytes sent unchanged (as --echo-sent prints them)
///   {"send_handshake":false}             a setting: no handshake of send's own (as --no-handshake)
#include "codec/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace msgcraft {

struct script_item {
   std::vector<uint8_t> bytes;
   bool raw = false; ///< sent unchanged, never decoded (it may not decode)
};

struct send_script {
   std::optional<bool> send_handshake; ///< set by a {"send_handshake":...} line
   std::vector<script_item> items;
};

/// Parses `text` line by line. Error: "<where> line N: ...".
core::result<send_script> script_from_lines(std::string_view text, std::string_view where);

/// The line that sends `bytes` unchanged: {"raw":"<hex>"}.
std::string raw_script_line(const std::vector<uint8_t>& bytes);

} // namespace msgcraft
