#pragma once
/// A Wireshark dissector in Lua, generated from the codec's own type table: the wire schema of
/// every net message (net/wire_schema.hpp) becomes a table of nodes and one field per path
/// ("antelope.handshake_message.agent"), read by a small interpreter, so the dissector lays
/// bytes out exactly as the codec does and cannot drift from it.
#include "codec/schema.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace msgcraft::wireshark {

/// A field of the dissector: its filter name and how it shows.
struct lua_field {
   std::string abbrev;   ///< "antelope.sync_request_message.end_block"
   std::string path;     ///< "sync_request_message.end_block"
   const core::schema_node* node = nullptr;
   std::string role;     ///< "value", "count", "index", "present" or "struct"
};

/// Every field the dissector registers, in registration order.
std::vector<lua_field> dissector_fields(const core::schema_node& net_message);

/// The dissector's Lua source. `version` goes into its header comment and protocol description.
std::string generate_dissector(const core::schema_node& net_message, std::string_view version);

} // namespace msgcraft::wireshark
