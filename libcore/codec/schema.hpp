#pragma once
/// The wire shape of a type, read from the same `serialize()` the codec archives use, so tools
/// that need the layout (msgcraft's fuzzer, its Wireshark dissector) never drift from the codec.
///
/// schema_of<T>() walks T's serialize() once with a describing archive and returns an immutable
/// tree (function-local statics; safe from any thread). String leaves (keys, checksums, names,
/// timestamps) pack themselves, so their shape is declared by a `schema_leaf<T>` specialization
/// next to the type table (net/wire_schema.hpp); a leaf without one does not compile.
#include "codec/leaf.hpp"
#include "codec/wire_types.hpp"

#include <cereal/cereal.hpp>
#include <cereal/types/base_class.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace core {

enum class schema_kind : uint8_t {
   integer,     ///< little-endian fixed width (`width`, `is_signed`)
   boolean,     ///< 1 byte, 0 or 1
   varuint32,   ///< LEB128
   varint32,    ///< zigzag LEB128
   string,      ///< varuint32 length + bytes
   bytes,       ///< varuint32 length + bytes
   raw_bytes,   ///< exactly `size` bytes, no prefix (digests, key points)
   sized_bytes, ///< varuint32 that must equal `size`, then `size` bytes
   enumeration, ///< an integer of `width` bytes with named values
   structure,   ///< `fields` in order
   vector,      ///< varuint32 count + `element`s
   optional,    ///< 1 byte 0/1, then `element` when 1
   variant,     ///< varuint32 index into `fields` (the alternatives), then that alternative
   array,       ///< exactly `size` `element`s, no prefix
};
constexpr std::string_view to_string(schema_kind k) {
   constexpr std::string_view names[] = {"integer",     "boolean",   "varuint32", "varint32", "string",
                                         "bytes",       "raw_bytes", "sized_bytes", "enumeration", "structure",
                                         "vector",      "optional",  "variant",   "array"};
   return names[static_cast<std::size_t>(k)];
}

/// How a value is best shown to a person (the wire form is given by the kind).
enum class schema_display : uint8_t {
   plain,
   hex,             ///< bytes as hex
   name,            ///< u64 account name
   block_timestamp, ///< u32 half-second slot since 2000-01-01
   time_point,      ///< i64 microseconds since the epoch
   time_point_sec,  ///< u32 seconds since the epoch
};

struct schema_node;

/// A structure field, or a variant alternative (then `name` names the alternative).
struct schema_field {
   std::string_view name;
   const schema_node* type = nullptr;
};

struct schema_node {
   schema_kind kind = schema_kind::structure;
   std::string_view type_name; ///< "uint32", "checksum256", "public_key"; empty for plain structures
   uint8_t width = 0;          ///< integer / enumeration bytes
   bool is_signed = false;
   std::size_t size = 0;       ///< raw_bytes / sized_bytes byte count, array element count
   schema_display display = schema_display::plain;
   std::vector<schema_field> fields;     ///< structure fields / variant alternatives
   const schema_node* element = nullptr; ///< vector / optional / array element
   std::vector<std::pair<uint64_t, std::string_view>> enumerators; ///< enumeration values by name
};

/// A leaf's shape. Specialise with `static schema_node make()` for every string_leaf on the wire.
template <class T>
struct schema_leaf {
   static_assert(sizeof(T) == 0, "no core::schema_leaf<T> for this string leaf: declare its wire shape in "
                                 "net/wire_schema.hpp so tools can lay it out");
};

/// A structure's name, for what names it (variant alternatives): specialise next to the leaf
/// shapes (net/wire_schema.hpp) for structures that are variant alternatives on the wire.
template <class T>
struct schema_type_name {
   static constexpr std::string_view value = {};
};

template <class T>
const schema_node& schema_of();

namespace detail {

template <class T>
struct is_std_vector : std::false_type {};
template <class T, class A>
struct is_std_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};
template <class T>
struct is_std_variant : std::false_type {};
template <class... Ts>
struct is_std_variant<std::variant<Ts...>> : std::true_type {};
template <class T>
struct is_std_pair : std::false_type {};
template <class A, class B>
struct is_std_pair<std::pair<A, B>> : std::true_type {};
template <class T>
struct is_flat_map : std::false_type {};
template <class K, class V>
struct is_flat_map<flat_map<K, V>> : std::true_type {};
template <class T>
struct is_fixed_bytes : std::false_type {};
template <std::size_t N>
struct is_fixed_bytes<fixed_bytes<N>> : std::true_type {
   static constexpr std::size_t size = N;
};

/// The describing "archive": serialize() hands it the fields, it records their shapes.
class schema_builder {
public:
   explicit schema_builder(schema_node& n) : n_(n) {}
   template <class... A>
   void operator()(A&&... a) {
      (add(std::forward<A>(a)), ...);
   }

private:
   template <class T>
   void add(const cereal::NameValuePair<T>& nvp) {
      n_.fields.push_back({nvp.name, &schema_of<std::remove_cvref_t<T>>()});
   }
   template <class B>
   void add(const cereal::base_class<B>& b) {
      b.base_ptr->serialize(*this);
   }
   template <class T>
   void add(const T&) {
      n_.fields.push_back({"", &schema_of<std::remove_cvref_t<T>>()});
   }
   schema_node& n_;
};

template <class T>
constexpr std::string_view integer_name() {
   if constexpr (std::is_same_v<T, uint8_t>)
      return "uint8";
   else if constexpr (std::is_same_v<T, uint16_t>)
      return "uint16";
   else if constexpr (std::is_same_v<T, uint32_t>)
      return "uint32";
   else if constexpr (std::is_same_v<T, uint64_t>)
      return "uint64";
   else if constexpr (std::is_same_v<T, int8_t>)
      return "int8";
   else if constexpr (std::is_same_v<T, int16_t>)
      return "int16";
   else if constexpr (std::is_same_v<T, int32_t>)
      return "int32";
   else if constexpr (std::is_same_v<T, int64_t>)
      return "int64";
   else
      return "char";
}

/// Enumerators of a wire enum: every value below 256 that enum_name names.
template <class E>
std::vector<std::pair<uint64_t, std::string_view>> enumerators() {
   std::vector<std::pair<uint64_t, std::string_view>> out;
   for (uint64_t v = 0; v < 256; ++v) {
      const auto e = static_cast<E>(static_cast<std::underlying_type_t<E>>(v));
      if (!enum_name(e).empty() && enum_value_valid(e))
         out.emplace_back(v, enum_name(e));
   }
   return out;
}

template <class T>
schema_node make_schema() {
   schema_node n;
   if constexpr (std::is_same_v<T, bool>) {
      n.kind = schema_kind::boolean;
      n.type_name = "bool";
   } else if constexpr (std::is_integral_v<T>) {
      n.kind = schema_kind::integer;
      n.type_name = integer_name<T>();
      n.width = sizeof(T);
      n.is_signed = std::is_signed_v<T>;
   } else if constexpr (wire_enum<T>) {
      using U = std::underlying_type_t<T>;
      n.kind = schema_kind::enumeration;
      n.type_name = integer_name<U>();
      n.width = sizeof(U);
      n.is_signed = std::is_signed_v<U>;
      n.enumerators = enumerators<T>();
   } else if constexpr (std::is_same_v<T, varuint32>) {
      n.kind = schema_kind::varuint32;
      n.type_name = "varuint32";
   } else if constexpr (std::is_same_v<T, varint32>) {
      n.kind = schema_kind::varint32;
      n.type_name = "varint32";
   } else if constexpr (std::is_same_v<T, std::string>) {
      n.kind = schema_kind::string;
      n.type_name = "string";
   } else if constexpr (std::is_same_v<T, bytes>) {
      n.kind = schema_kind::bytes;
      n.type_name = "bytes";
      n.display = schema_display::hex;
   } else if constexpr (is_fixed_bytes<T>::value) {
      n.kind = schema_kind::sized_bytes;
      n.type_name = "fixed_bytes";
      n.size = is_fixed_bytes<T>::size;
      n.display = schema_display::hex;
   } else if constexpr (string_leaf<T>) {
      n = schema_leaf<T>::make();
   } else if constexpr (is_std_vector<T>::value) {
      n.kind = schema_kind::vector;
      n.element = &schema_of<typename T::value_type>();
   } else if constexpr (is_flat_map<T>::value) {
      n.kind = schema_kind::vector;
      n.element = &schema_of<std::pair<typename T::key_type, typename T::mapped_type>>();
   } else if constexpr (is_std_array<T>::value) {
      n.kind = schema_kind::array;
      n.size = std::tuple_size_v<T>;
      n.element = &schema_of<typename T::value_type>();
   } else if constexpr (is_optional<T>::value) {
      n.kind = schema_kind::optional;
      n.element = &schema_of<typename T::value_type>();
   } else if constexpr (is_std_pair<T>::value) {
      n.kind = schema_kind::structure;
      n.type_name = "pair";
      n.fields = {{"first", &schema_of<typename T::first_type>()}, {"second", &schema_of<typename T::second_type>()}};
   } else if constexpr (is_std_variant<T>::value) {
      n.kind = schema_kind::variant;
      [&]<std::size_t... I>(std::index_sequence<I...>) {
         ((n.fields.push_back({"", &schema_of<std::variant_alternative_t<I, T>>()})), ...);
      }(std::make_index_sequence<std::variant_size_v<T>>{});
      for (auto& f : n.fields)
         f.name = f.type->type_name;
   } else {
      static_assert(requires(T& t, schema_builder& b) { t.serialize(b); },
                    "core::schema_of: T is neither a wire primitive nor a struct with serialize()");
      n.kind = schema_kind::structure;
      n.type_name = schema_type_name<T>::value;
      // On the heap: gcc 12 warns (-Wmaybe-uninitialized) about large variant members on the stack.
      const auto value = std::make_unique<T>();
      schema_builder b(n);
      value->serialize(b);
   }
   return n;
}

} // namespace detail

/// The shape of T (built once, then shared).
template <class T>
const schema_node& schema_of() {
   static const schema_node node = detail::make_schema<T>();
   return node;
}

} // namespace core
