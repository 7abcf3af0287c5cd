#include "net/type_table.hpp"

#include "codec/codec.hpp"
#include "net/messages.hpp"
#include "net/wire_schema.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"
#include "types/transaction.hpp"

#include <array>
#include <variant>

namespace core {

namespace {

template <class T>
result<std::string, decode_error> bytes_to_json(std::span<const uint8_t> in) {
   auto v = unpack<T>(in);
   if (!v)
      return unexpected{v.error()};
   return to_json(*v);
}

template <class T>
result<std::vector<uint8_t>, decode_error> json_to_bytes(const rapidjson::Value& j) {
   auto v = from_json<T>(j);
   if (!v)
      return unexpected{v.error()};
   return pack(*v);
}

template <class T>
wire_type entry(std::string_view name, int message_index) {
   return {name, message_index, &bytes_to_json<T>, &json_to_bytes<T>, &schema_of<T>};
}

template <std::size_t I>
wire_type message_entry() {
   using T = std::variant_alternative_t<I, net_message>;
   return entry<T>(message_type_name(I), static_cast<int>(message_index_v<T>));
}

template <std::size_t... I>
auto message_entries(std::index_sequence<I...>) {
   return std::array<wire_type, sizeof...(I)>{message_entry<I>()...};
}

using table_type = std::array<wire_type, message_count + 5>;

table_type make_table() {
   const auto messages = message_entries(std::make_index_sequence<message_count>{});
   const std::array chain_types = {
      entry<signed_block_header>("signed_block_header", -1),
      entry<block_header>("block_header", -1),
      entry<transaction>("transaction", -1),
      entry<action>("action", -1),
      entry<genesis_state>("genesis_state", -1),
   };
   static_assert(std::tuple_size_v<decltype(messages)> + std::tuple_size_v<decltype(chain_types)> ==
                 std::tuple_size_v<table_type>);
   table_type t{};
   std::size_t n = 0;
   for (const auto& e : messages)
      t[n++] = e;
   for (const auto& e : chain_types)
      t[n++] = e;
   return t;
}

const table_type& table() {
   static const table_type t = make_table();
   return t;
}

} // namespace

std::span<const wire_type> wire_types() { return table(); }

const wire_type* find_wire_type(std::string_view name) {
   for (const auto& t : table())
      if (t.name == name)
         return &t;
   int index = message_index_by_name(name);
   if (index >= 0)
      return &table()[static_cast<std::size_t>(index)];
   return nullptr;
}

} // namespace core
