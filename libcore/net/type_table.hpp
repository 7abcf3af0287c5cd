#pragma once
/// The codec by type name, for tools that pick the type at run time (msgcraft): every net
/// message plus the chain types that travel inside them. Each entry converts fc::raw bytes to
/// nodeos JSON and back with core::unpack / to_json / from_json / pack, and describes its layout.
#include "codec/decode_error.hpp"
#include "codec/result.hpp"
#include "codec/schema.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

struct wire_type {
   std::string_view name;
   /// The net_message wire index, or -1 for a type that is not a net message.
   int message_index;
   /// Decodes exactly one object (all of `in`, at most limits::max_message_bytes) to compact JSON.
   result<std::string, decode_error> (*bytes_to_json)(std::span<const uint8_t> in);
   /// Reads the object from JSON (derived fields such as ids are ignored) and packs it.
   result<std::vector<uint8_t>, decode_error> (*json_to_bytes)(const rapidjson::Value& j);
   /// The wire layout, from the same serialize() (net/wire_schema.hpp).
   const schema_node& (*schema)();

   bool is_message() const { return message_index >= 0; }
};

/// All named types: the net messages in wire order, then the chain types.
std::span<const wire_type> wire_types();

/// Looks a type up by its name, or a message by its short name ("handshake" for
/// "handshake_message"); nullptr when unknown.
const wire_type* find_wire_type(std::string_view name);

} // namespace core
