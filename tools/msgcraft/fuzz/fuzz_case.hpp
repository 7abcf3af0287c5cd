#pragma once
/// One run's input: a short sequence of frames, each a seed with zero or more mutations, plus
/// sequence mutations (order, repetition, no handshake first) and frame-length mutations.
/// Pure: make_case(seeds, rng) is a function of the run's rng alone.
#include "fuzz/mutator.hpp"
#include "fuzz/rng.hpp"
#include "fuzz/seeds.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace msgcraft::fuzz {

struct fuzz_frame {
   std::size_t seed = 0;          ///< index of the seed it started from
   std::vector<uint8_t> payload;  ///< as sent
   /// The payload before each mutation: steps[0] is the seed's, steps.size() mutations applied.
   std::vector<std::vector<uint8_t>> steps;
   std::vector<std::string> mutations; ///< one description per step, then a frame-length one if any
   std::optional<uint32_t> declared_length; ///< a length prefix that differs from payload.size()

   bool mutated() const { return !steps.empty() || declared_length.has_value(); }
   /// Length prefix + payload.
   std::vector<uint8_t> bytes() const;
   /// The frame's length prefix agrees with its payload and the payload decodes.
   bool decodable() const;
};

struct fuzz_case {
   bool handshake = true; ///< send the session's handshake before the frames (false: "before the handshake")
   std::vector<fuzz_frame> frames;
   std::vector<std::string> sequence; ///< sequence mutations applied ("reordered", "frame 2 repeated 5 times")

   /// Every frame's length prefix matches its payload: the peer parses the stream frame by frame,
   /// so a ping sent after it is read as a ping.
   bool in_step() const;
   /// Every frame decodes (a "decodable" case).
   bool decodable() const;
   std::vector<std::string> mutation_list() const;
};

struct case_options {
   unsigned max_frames = 4;          ///< frames per case
   unsigned max_stacked = 3;         ///< payload mutations per frame
   bool allow_no_handshake = true;   ///< "sending before the handshake" cases
   bool fuzz_handshake_only = false; ///< --no-handshake: every case starts with a handshake seed
};

/// The case of one run.
fuzz_case make_case(std::span<const seed> seeds, rng& r, const case_options& o);

/// Frame-length mutations: 0, off by one, over 8 MiB, huge. Sets f.declared_length.
void mutate_frame_length(fuzz_frame& f, rng& r);

} // namespace msgcraft::fuzz
