#include "net/wire_schema.hpp"

#include "net/messages.hpp"

namespace core {

namespace {

schema_node raw(std::size_t n, std::string_view type_name) {
   schema_node s;
   s.kind = schema_kind::raw_bytes;
   s.type_name = type_name;
   s.size = n;
   s.display = schema_display::hex;
   return s;
}

schema_node integer(uint8_t width, bool is_signed, std::string_view type_name, schema_display display) {
   schema_node s;
   s.kind = schema_kind::integer;
   s.width = width;
   s.is_signed = is_signed;
   s.type_name = type_name;
   s.display = display;
   return s;
}

/// A variant of K1 / R1 / WA whose K1 and R1 bodies are `body` and WA is `wa`.
schema_node key_variant(std::string_view type_name, const schema_node& body, const schema_node& wa) {
   schema_node s;
   s.kind = schema_kind::variant;
   s.type_name = type_name;
   s.fields = {{"K1", &body}, {"R1", &body}, {"WA", &wa}};
   return s;
}

} // namespace

schema_node schema_leaf<public_key>::make() {
   static const schema_node point = raw(33, "key_point");
   static const schema_node wa = [] {
      schema_node s;
      s.kind = schema_kind::structure;
      s.type_name = "webauthn_public_key";
      s.fields = {{"key", &point}, {"user_presence", &schema_of<uint8_t>()}, {"rpid", &schema_of<std::string>()}};
      return s;
   }();
   return key_variant("public_key", point, wa);
}

schema_node schema_leaf<signature>::make() {
   static const schema_node compact = raw(65, "compact_signature");
   static const schema_node wa = [] {
      schema_node s;
      s.kind = schema_kind::structure;
      s.type_name = "webauthn_signature";
      s.fields = {{"compact_signature", &compact},
                  {"auth_data", &schema_of<bytes>()},
                  {"client_json", &schema_of<std::string>()}};
      return s;
   }();
   return key_variant("signature", compact, wa);
}

schema_node schema_leaf<name>::make() { return integer(8, false, "name", schema_display::name); }
schema_node schema_leaf<time_point>::make() { return integer(8, true, "time_point", schema_display::time_point); }
schema_node schema_leaf<time_point_sec>::make() {
   return integer(4, false, "time_point_sec", schema_display::time_point_sec);
}
schema_node schema_leaf<block_timestamp>::make() {
   return integer(4, false, "block_timestamp", schema_display::block_timestamp);
}

const schema_node& net_message_schema() {
   static const schema_node n = [] {
      schema_node s = schema_of<net_message>();
      s.type_name = "net_message";
      for (std::size_t i = 0; i < s.fields.size(); ++i)
         s.fields[i].name = message_type_name(static_cast<uint32_t>(i));
      return s;
   }();
   return n;
}

const schema_node* message_schema(uint32_t index) {
   const auto& alts = net_message_schema().fields;
   return index < alts.size() ? alts[index].type : nullptr;
}

} // namespace core
