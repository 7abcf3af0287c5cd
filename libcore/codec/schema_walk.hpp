#pragma once
/// Locates every value of a byte string laid out by a schema (codec/schema.hpp): where each
/// field, element, length prefix and variant index sits, without building the object. The
/// structure-aware mutators of msgcraft fuzz edit bytes at these places.
///
/// The walk is a locator, not a validator: it stops at the first value that cannot be laid out
/// (truncated input, a count the input cannot hold, an unknown variant index, a bool other than
/// 0/1, a sized_bytes length that differs from its size) and keeps what it found before. Enum
/// values, string contents and leaf contents are not checked; decode for that.
#include "codec/decode_error.hpp"
#include "codec/schema.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace core {

struct wire_span {
   static constexpr std::size_t no_parent = static_cast<std::size_t>(-1);
   const schema_node* node = nullptr;
   std::size_t parent = no_parent; ///< index of the enclosing span in wire_walk::spans
   std::string_view name;          ///< field or alternative name; empty for elements
   uint32_t index = 0;             ///< element index (vector/array), alternative index (variant child)
   std::size_t offset = 0;         ///< first byte of the value, its prefix included
   std::size_t size = 0;           ///< bytes of the value, its prefix included
   std::size_t prefix_size = 0;    ///< bytes of its length / count / index / flag prefix (0: none)
   uint64_t prefix_value = 0;      ///< that prefix's value; for integers and enums, the value itself
   bool whole = true;              ///< false: the walk stopped inside it (size counts what was laid out)
};

struct wire_walk {
   /// Parents come before their children (pre-order).
   std::vector<wire_span> spans;
   bool complete = false; ///< the whole input was laid out, with no bytes left over
   decode_error error;    ///< why the walk stopped early (code ok when complete)

   /// "req_blocks.ids[1]", "peers[0].sig.K1": the path of span i from the root.
   std::string path(std::size_t i) const;
};

/// Lays `bytes` out as `root`. The walk ends at the first value that cannot be laid out, or
/// after `max_spans` spans (then complete is false and error says so); the values it was inside
/// are kept with whole = false.
wire_walk walk_wire(const schema_node& root, std::span<const uint8_t> bytes, std::size_t max_spans = 200'000);

/// Bytes of the minimal varuint32 encoding at the start of `in`, and its value; 0 bytes when it
/// is truncated or longer than 5 bytes.
struct varuint_read {
   uint32_t value = 0;
   std::size_t bytes = 0;
};
varuint_read read_varuint32_at(std::span<const uint8_t> in);

} // namespace core
