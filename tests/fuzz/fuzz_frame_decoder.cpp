// libFuzzer target: frame_decoder on a byte stream fed in chunks whose sizes come from the
// input, every frame's payload decoded and round-tripped in binary (fuzz_check.hpp; the
// decode_payload target also checks JSON).
//
// Properties: chunking does not change what the decoder yields (frames, offsets, final error or
// buffered bytes equal a single feed of the whole stream); frames tile the stream; a failed
// decoder stays failed and ignores further input.
#include "fuzz_check.hpp"

#include <optional>

namespace {

struct frame_copy {
   uint32_t which;
   std::vector<uint8_t> payload;
   std::size_t offset;
   bool operator==(const frame_copy&) const = default;
};

struct outcome {
   std::vector<frame_copy> frames;
   std::optional<core::decode_error> error;
   std::size_t buffered = 0;
   std::size_t consumed = 0;
};

/// Pulls every complete frame; the payload spans are copied before the next feed() invalidates them.
void drain(core::frame_decoder& d, outcome& out) {
   for (;;) {
      auto r = d.next();
      if (!r) {
         out.error = r.error();
         FUZZ_CHECK(d.failed());
         return;
      }
      if (!*r)
         return;
      const auto& f = **r;
      FUZZ_CHECK(!f.payload.empty());
      FUZZ_CHECK(f.payload.size() <= core::limits::max_message_bytes);
      out.frames.push_back({f.which, {f.payload.begin(), f.payload.end()}, f.offset});
   }
}

/// Chunk sizes from the input: byte k (cyclically) picks the size of chunk k; the last byte picks
/// the largest chunk (2 .. 4096 bytes).
std::vector<std::size_t> chunk_sizes(std::span<const uint8_t> in) {
   std::vector<std::size_t> sizes;
   if (in.empty())
      return sizes;
   const std::size_t cap = std::size_t(2) << (in.back() % 12);
   std::size_t fed = 0;
   for (std::size_t k = 0; fed < in.size(); ++k) {
      const std::size_t n = std::min<std::size_t>(1 + (in[k % in.size()] ^ (k & 0xff)) % cap, in.size() - fed);
      sizes.push_back(n);
      fed += n;
   }
   return sizes;
}

bool same_error(const std::optional<core::decode_error>& a, const std::optional<core::decode_error>& b) {
   if (a.has_value() != b.has_value())
      return false;
   return !a || (a->code == b->code && a->offset == b->offset && a->field == b->field && a->detail == b->detail);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const std::span<const uint8_t> in(data, size);

   outcome whole;
   {
      core::frame_decoder d;
      d.feed(in);
      drain(d, whole);
      whole.buffered = d.buffered();
      whole.consumed = d.consumed();
   }

   outcome chunked;
   core::frame_decoder d;
   std::size_t at = 0;
   for (std::size_t n : chunk_sizes(in)) {
      d.feed(in.subspan(at, n));
      at += n;
      if (!chunked.error)
         drain(d, chunked);
   }
   chunked.buffered = d.buffered();
   chunked.consumed = d.consumed();

   FUZZ_CHECK(chunked.frames == whole.frames);
   FUZZ_CHECK(same_error(chunked.error, whole.error));
   FUZZ_CHECK(chunked.consumed == whole.consumed);
   if (!whole.error) {
      FUZZ_CHECK(chunked.buffered == whole.buffered);
      FUZZ_CHECK(whole.consumed + whole.buffered == size);
   } else {
      // Failed for good: input after the error is ignored and the error repeats.
      const std::size_t before = d.buffered();
      d.feed(in);
      FUZZ_CHECK(d.buffered() == before);
      auto again = d.next();
      FUZZ_CHECK(!again);
      FUZZ_CHECK(same_error(again.error(), whole.error));
      fuzz::check_error(*whole.error, size);
   }

   // Frames tile the stream: each starts where the previous ended, with its length prefix.
   std::size_t offset = 0;
   for (const auto& f : whole.frames) {
      FUZZ_CHECK(f.offset == offset);
      const uint32_t len = uint32_t(data[offset]) | uint32_t(data[offset + 1]) << 8 | uint32_t(data[offset + 2]) << 16 |
                           uint32_t(data[offset + 3]) << 24;
      FUZZ_CHECK(len == f.payload.size());
      FUZZ_CHECK(fuzz::same_bytes(f.payload, in.subspan(offset + core::frame_header_bytes, len)));
      offset += core::frame_header_bytes + len;

      core::byte_reader r(f.payload);
      FUZZ_CHECK(r.read_varuint32() == f.which);
      fuzz::check_payload(f.payload, /*with_json=*/false);
   }
   FUZZ_CHECK(offset == whole.consumed);
   return 0;
}
