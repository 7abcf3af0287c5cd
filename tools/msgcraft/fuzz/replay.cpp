#include "fuzz/replay.hpp"

#include "send_input.hpp"
#include "send_script.hpp"

#include "codec/codec.hpp"
#include "net/frame.hpp"

#include <algorithm>

namespace msgcraft::fuzz {

namespace {

/// The frame with payload step k (k == steps.size(): as sent) and its length prefix restored
/// when `restore_length`.
fuzz_frame at_step(const fuzz_frame& f, std::size_t k, bool restore_length) {
   fuzz_frame out = f;
   if (k < f.steps.size()) {
      out.payload = f.steps[k];
      out.steps.resize(k);
      out.mutations.resize(k);
   }
   if (restore_length && out.declared_length) {
      out.declared_length.reset();
      if (out.mutations.size() > out.steps.size())
         out.mutations.resize(out.steps.size());
   }
   return out;
}

} // namespace

replay replay_of(const fuzz_case& c) { return {c.handshake, c.frames}; }

minimise_result minimise(replay start, const std::function<bool(const replay&)>& reproduces, unsigned budget) {
   minimise_result out;
   out.shortest = std::move(start);
   auto& best = out.shortest;
   const auto attempt = [&](const replay& r) {
      if (out.attempts >= budget)
         return false;
      ++out.attempts;
      if (!reproduces(r))
         return false;
      best = r;
      out.reduced = true;
      return true;
   };

   // The sequence: remove chunks of frames, halving the chunk size.
   for (std::size_t chunk = std::max<std::size_t>(best.frames.size() / 2, 1); chunk >= 1; chunk /= 2) {
      for (std::size_t at = 0; best.frames.size() > 1 && at < best.frames.size();) {
         replay r = best;
         const std::size_t n = std::min(chunk, r.frames.size() - at);
         if (n >= r.frames.size())
            break;
         r.frames.erase(r.frames.begin() + static_cast<std::ptrdiff_t>(at),
                        r.frames.begin() + static_cast<std::ptrdiff_t>(at + n));
         if (!attempt(r))
            at += n;
      }
      if (chunk == 1)
         break;
   }
   if (best.handshake) {
      replay r = best;
      r.handshake = false;
      attempt(r);
   }

   // Each frame's mutation: its frame length first, then the earliest payload step.
   for (std::size_t i = 0; i < best.frames.size(); ++i) {
      const auto f = best.frames[i];
      if (f.declared_length) {
         replay r = best;
         r.frames[i] = at_step(f, f.steps.size(), true);
         attempt(r);
      }
      const auto g = best.frames[i];
      for (std::size_t k = 0; k < g.steps.size(); ++k) {
         replay r = best;
         r.frames[i] = at_step(g, k, false);
         if (attempt(r))
            break;
      }
   }
   return out;
}

std::string frame_script_line(const std::vector<uint8_t>& bytes) {
   core::frame_decoder fd;
   fd.feed(bytes);
   auto f = fd.next();
   if (f && f->has_value() && fd.buffered() == 0) {
      const auto& frame = **f;
      if (auto m = core::decode_payload(frame.payload)) {
         rapidjson::StringBuffer sb;
         core::json_output_archive::writer_type w(sb);
         w.StartObject();
         write_frame_fields(w, frame.which, frame.payload.size(), *m);
         w.EndObject();
         std::string line(sb.GetString(), sb.GetSize());
         auto back = frame_from_text(line);
         if (back && *back == bytes)
            return line;
      }
   }
   return raw_script_line(bytes);
}

std::string reproducer_text(const reproducer_header& header, const replay& r, const core::handshake_message& hs) {
   std::string out;
   for (const auto& l : header.lines)
      out += "# " + l + "\n";
   out += "{\"send_handshake\":false}\n";
   if (r.handshake)
      out += frame_script_line(core::encode_frame(hs)) + "\n";
   for (const auto& f : r.frames)
      out += frame_script_line(f.bytes()) + "\n";
   return out;
}

} // namespace msgcraft::fuzz
