#pragma once
/// Small value types of fc::raw that the archives encode directly.
#include "codec/decode_error.hpp"
#include "codec/leaf.hpp"

#include <boost/container/flat_map.hpp>
#include <cereal/specialize.hpp>

#include <array>
#include <compare>
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

/// fc::unsigned_int: LEB128 on the wire, a plain number in JSON.
struct varuint32 {
   uint32_t value = 0;
   varuint32() = default;
   varuint32(uint32_t v) : value(v) {}
   operator uint32_t() const { return value; }
   auto operator<=>(const varuint32&) const = default;
};

/// fc::signed_int: zigzag + LEB128 on the wire, a plain number in JSON.
struct varint32 {
   int32_t value = 0;
   varint32() = default;
   varint32(int32_t v) : value(v) {}
   operator int32_t() const { return value; }
   auto operator<=>(const varint32&) const = default;
};

/// fc `bytes` (std::vector<char>): length-prefixed raw bytes, lowercase hex in JSON.
using bytes = std::vector<char>;

/// A byte array whose wire form is a varuint32 length that must equal N, then N bytes
/// (e.g. Spring's BLS keys and signatures). Hex in JSON.
template <std::size_t N>
struct fixed_bytes {
   std::array<uint8_t, N> data{};
   auto operator<=>(const fixed_bytes&) const = default;
};

template <class K, class V>
using flat_map = boost::container::flat_map<K, V>;

/// Enums on the wire are their underlying integer (sizeof the enum, as fc writes unreflected
/// enums and fc::enum_type<uint8_t,...>). In JSON they print as the name that ADL
/// `enum_name(E) -> std::string_view` gives (empty: print the number) and parse from name or
/// number. An ADL `enum_valid(E) -> bool` may reject values on decode.
template <class E>
concept wire_enum = std::is_enum_v<E> && requires(E e) {
   { enum_name(e) } -> std::convertible_to<std::string_view>;
};

template <class E>
bool enum_value_valid(E e) {
   if constexpr (requires { enum_valid(e); })
      return enum_valid(e);
   else
      return true;
}

/// Types that validate or derive state after their wire fields are read declare
/// `decode_errc finish_unpack(std::string& detail)`; the input archives call it.
template <class T>
concept finishes_unpack = requires(T& t, std::string& d) {
   { t.finish_unpack(d) } -> std::same_as<decode_errc>;
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
/// std::shared_ptr<const T>: an optional value shared between states (fc packs it as one).
template <class T>
struct is_shared_const : std::false_type {};
template <class T>
struct is_shared_const<std::shared_ptr<const T>> : std::true_type {};

template <>
struct min_packed_size<uint16_t> {
   static constexpr std::size_t value = 2;
};
template <>
struct min_packed_size<uint32_t> {
   static constexpr std::size_t value = 4;
};
template <>
struct min_packed_size<uint64_t> {
   static constexpr std::size_t value = 8;
};
template <class A, class B>
struct min_packed_size<std::pair<A, B>> {
   static constexpr std::size_t value = min_packed_size<A>::value + min_packed_size<B>::value;
};

/// Emplaces alternative `index` of v and loads it through the archive.
namespace detail {
template <std::size_t I, class Archive, class... Ts>
void load_variant_alt(Archive& ar, std::variant<Ts...>& v, std::size_t index) {
   if constexpr (I < sizeof...(Ts)) {
      if (index == I) {
         ar(v.template emplace<I>());
         return;
      }
      load_variant_alt<I + 1>(ar, v, index);
   }
}
} // namespace detail

} // namespace core

/// cereal would otherwise also offer its generic enum save_minimal; the archives' own load/save
/// (wire: underlying integer; JSON: name) are the ones to use.
namespace cereal {
template <class Archive, class E>
   requires core::wire_enum<E>
struct specialize<Archive, E, specialization::non_member_load_save> : std::true_type {};
} // namespace cereal
