#pragma once
/// Wire shapes that the raw input archive checks without storing: a decoder for a "shape" type
/// (a struct declaring the same fields as a real type, with containers replaced by these)
/// validates input exactly as decoding the real type would — same limits, same error codes,
/// offsets, details and field paths — without allocating.
#include "codec/raw_archive.hpp"

namespace core {

/// A vector<Stored> on the wire, checked element by element through one reused T (Stored
/// itself, or its shape).
template <class T, class Stored = T>
struct skipped_vector {};

/// fc bytes on the wire (length-prefixed), checked and skipped.
struct skipped_bytes {};

template <class T, class Stored>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, skipped_vector<T, Stored>&) {
   auto& r = ar.reader();
   const uint32_t n =
      r.read_count(limits::max_array_elements, min_packed_size<Stored>::value, decode_errc::too_many_elements);
   if (!r.ok())
      return;
   T element{};
   r.push_index(0);
   for (uint32_t i = 0; i < n && r.ok(); ++i) {
      r.set_index(i);
      ar(element);
   }
   r.pop();
}

inline void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, skipped_bytes&) {
   auto& r = ar.reader();
   r.take(r.read_count(limits::max_byte_array_bytes, 1, decode_errc::bytes_too_large));
}

} // namespace core
