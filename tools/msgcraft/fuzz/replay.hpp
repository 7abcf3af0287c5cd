#pragma once
/// What reproduces a finding on a fresh connection, its minimisation, and its file form (the
/// lines `msgcraft send -f` reads, see send_script.hpp).
#include "fuzz/fuzz_case.hpp"

#include "net/messages.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace msgcraft::fuzz {

struct replay {
   bool handshake = true; ///< the session's handshake first
   std::vector<fuzz_frame> frames;
};

/// The frames of `c` with its handshake setting.
replay replay_of(const fuzz_case& c);

struct minimise_result {
   replay shortest;
   unsigned attempts = 0;   ///< replays tried
   bool reduced = false;    ///< anything was removed
};

/// Reduces `start` while `reproduces` holds: first the sequence (chunks of frames, then single
/// frames, then the handshake), then each frame's mutations (the earliest mutation step that
/// still reproduces, the frame length restored). At most `budget` calls of `reproduces`; the
/// caller has checked that `start` itself reproduces.
minimise_result minimise(replay start, const std::function<bool(const replay&)>& reproduces, unsigned budget);

/// Header lines of a reproducer file (each written as "# <line>").
struct reproducer_header {
   std::vector<std::string> lines;
};

/// The reproducer: comments, {"send_handshake":false}, the handshake `hs` when r.handshake,
/// then one line per frame: the JSON decode prints when that re-encodes to the exact bytes,
/// else {"raw":hex}.
std::string reproducer_text(const reproducer_header& header, const replay& r, const core::handshake_message& hs);

/// One line for a frame's bytes, as reproducer_text writes it.
std::string frame_script_line(const std::vector<uint8_t>& frame_bytes);

} // namespace msgcraft::fuzz
