#include "fuzz/fuzz_case.hpp"

#include "codec/limits.hpp"
#include "net/frame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

namespace msgcraft::fuzz {

namespace {

/// A seed index, each message index equally likely whatever the number of seeds it has.
std::size_t pick_seed(std::span<const seed> seeds, rng& r) {
   std::map<uint32_t, std::vector<std::size_t>> by_type;
   for (std::size_t i = 0; i < seeds.size(); ++i)
      by_type[seeds[i].which].push_back(i);
   auto it = by_type.begin();
   std::advance(it, static_cast<std::ptrdiff_t>(r.below(by_type.size())));
   return it->second[r.below(it->second.size())];
}

std::optional<std::size_t> find_handshake(std::span<const seed> seeds) {
   for (std::size_t i = 0; i < seeds.size(); ++i)
      if (seeds[i].which == 0 && seeds[i].decodes)
         return i;
   return std::nullopt;
}

fuzz_frame frame_of(std::span<const seed> seeds, std::size_t index) {
   fuzz_frame f;
   f.seed = index;
   f.payload = seeds[index].payload;
   return f;
}

void mutate_payload_steps(fuzz_frame& f, std::span<const seed> seeds, unsigned n, rng& r) {
   for (unsigned i = 0; i < n; ++i) {
      auto m = mutate_payload(f.payload, seeds, r);
      f.steps.push_back(std::move(f.payload));
      f.payload = std::move(m.payload);
      f.mutations.push_back(std::move(m.what));
   }
}

unsigned stacked(rng& r, unsigned max) {
   const unsigned n = r.percent(65) ? 1 : r.percent(70) ? 2 : 3;
   return std::min(n, std::max(max, 1u));
}

} // namespace

std::vector<uint8_t> fuzz_frame::bytes() const {
   std::vector<uint8_t> out(core::frame_header_bytes + payload.size());
   const uint32_t n = declared_length.value_or(static_cast<uint32_t>(payload.size()));
   std::memcpy(out.data(), &n, sizeof n);
   if (!payload.empty())
      std::memcpy(out.data() + core::frame_header_bytes, payload.data(), payload.size());
   return out;
}

bool fuzz_frame::decodable() const {
   return !declared_length && !payload.empty() && core::decode_payload(payload).has_value();
}

bool fuzz_case::in_step() const {
   return std::all_of(frames.begin(), frames.end(), [](const fuzz_frame& f) {
      return !f.declared_length && !f.payload.empty() && f.payload.size() <= core::limits::max_message_bytes;
   });
}

bool fuzz_case::decodable() const {
   return std::all_of(frames.begin(), frames.end(), [](const fuzz_frame& f) { return f.decodable(); });
}

std::vector<std::string> fuzz_case::mutation_list() const {
   std::vector<std::string> out = sequence;
   for (std::size_t i = 0; i < frames.size(); ++i)
      for (const auto& m : frames[i].mutations)
         out.push_back(frames.size() == 1 ? m : fmt::format("frame {}: {}", i + 1, m));
   return out;
}

void mutate_frame_length(fuzz_frame& f, rng& r) {
   const auto len = static_cast<uint32_t>(f.payload.size());
   constexpr uint32_t over = static_cast<uint32_t>(core::limits::max_message_bytes) + 1;
   const std::array<uint32_t, 8> cand = {0, len - 1, len + 1, len + 2, over, over + 4096, 0x7fffffffu, 0xffffffffu};
   uint32_t v = len;
   while (v == len)
      v = cand[r.below(cand.size())];
   f.declared_length = v;
   f.mutations.push_back(fmt::format("frame_length {} instead of {}", v, len));
}

fuzz_case make_case(std::span<const seed> seeds, rng& r, const case_options& o) {
   fuzz_case c;
   const auto hs = find_handshake(seeds);
   const unsigned n = r.percent(60) ? 1 : static_cast<unsigned>(r.between(2, std::max(o.max_frames, 2u)));
   if (o.fuzz_handshake_only) {
      c.handshake = false;
      c.frames.push_back(frame_of(seeds, hs.value_or(pick_seed(seeds, r))));
   }
   while (c.frames.size() < n)
      c.frames.push_back(frame_of(seeds, pick_seed(seeds, r)));

   bool any = false;
   for (auto& f : c.frames)
      if (r.percent(85)) {
         mutate_payload_steps(f, seeds, stacked(r, o.max_stacked), r);
         any = true;
      }

   if (r.percent(15)) {
      switch (r.below(4)) {
      case 0:
         if (o.allow_no_handshake && c.handshake) {
            c.handshake = false;
            c.sequence.push_back("sent before the handshake");
            any = true;
         }
         break;
      case 1: {
         const std::size_t i = r.below(c.frames.size());
         const std::size_t times = r.between(2, 20);
         const auto copy = c.frames[i];
         for (std::size_t k = 1; k < times; ++k)
            c.frames.insert(c.frames.begin() + static_cast<std::ptrdiff_t>(i), copy);
         c.sequence.push_back(fmt::format("frame {} repeated {} times", i + 1, times));
         any = true;
         break;
      }
      case 2:
         if (c.frames.size() >= 2) {
            std::reverse(c.frames.begin(), c.frames.end());
            c.sequence.push_back("frames reversed");
            any = true;
         }
         break;
      default:
         if (hs) {
            const std::size_t at = r.below(c.frames.size() + 1);
            c.frames.insert(c.frames.begin() + static_cast<std::ptrdiff_t>(at), frame_of(seeds, *hs));
            c.sequence.push_back(fmt::format("handshake repeated as frame {}", at + 1));
            any = true;
         }
         break;
      }
   }
   if (r.percent(5)) {
      mutate_frame_length(c.frames[r.below(c.frames.size())], r);
      any = true;
   }
   if (!any)
      mutate_payload_steps(c.frames.back(), seeds, 1, r);
   return c;
}

} // namespace msgcraft::fuzz
