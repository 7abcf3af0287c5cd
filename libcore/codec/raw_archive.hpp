#pragma once
/// cereal archives producing and consuming fc::raw bytes (PROTOCOL.md §4).
///
/// Types declare their fields once with a member `serialize(Archive&)` listing
/// `CEREAL_NVP`/`cereal::make_nvp` in FC_REFLECT order (base classes first via
/// `cereal::base_class`). These archives turn that into the exact bytes fc::raw::pack writes.
/// Decoding goes through a byte_reader with a sticky error: no exceptions, limits checked before
/// any allocation, and the failing field recorded in the error.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/leaf.hpp"
#include "codec/limits.hpp"
#include "codec/wire_types.hpp"

#include <cereal/cereal.hpp>
#include <cereal/types/base_class.hpp>

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace core {

class raw_output_archive : public cereal::OutputArchive<raw_output_archive> {
public:
   explicit raw_output_archive(byte_writer& w) : OutputArchive(this), w_(w) {}
   byte_writer& writer() { return w_; }

private:
   byte_writer& w_;
};

class raw_input_archive : public cereal::InputArchive<raw_input_archive> {
public:
   explicit raw_input_archive(byte_reader& r) : InputArchive(this), r_(r) {}
   byte_reader& reader() { return r_; }
   bool ok() const { return r_.ok(); }

private:
   byte_reader& r_;
};



template <finishes_unpack T>
void epilogue(raw_input_archive& ar, T& t) {
   if (!ar.ok())
      return;
   std::string detail;
   if (auto e = t.finish_unpack(detail); e != decode_errc::ok)
      ar.reader().fail(e, std::move(detail));
}

// ---- names -------------------------------------------------------------------------------------

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const cereal::NameValuePair<T>& nvp) {
   ar(nvp.value);
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, cereal::NameValuePair<T>& nvp) {
   if (!ar.ok())
      return;
   ar.reader().push_field(nvp.name);
   ar(nvp.value);
   ar.reader().pop();
}

// ---- scalars -----------------------------------------------------------------------------------

template <class T>
   requires std::is_arithmetic_v<T>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const T& v) {
   if constexpr (std::is_same_v<T, bool>)
      ar.writer().write_bool(v);
   else
      ar.writer().write_int(v);
}
template <class T>
   requires std::is_arithmetic_v<T>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, T& v) {
   if constexpr (std::is_same_v<T, bool>)
      v = ar.reader().read_bool();
   else
      v = ar.reader().template read_int<T>();
}

template <wire_enum E>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const E& e) {
   ar.writer().write_int(static_cast<std::underlying_type_t<E>>(e));
}
template <wire_enum E>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, E& e) {
   auto& r = ar.reader();
   const std::size_t at = r.offset();
   e = static_cast<E>(r.template read_int<std::underlying_type_t<E>>());
   if (r.ok() && !enum_value_valid(e))
      r.fail_at(at, decode_errc::bad_value,
                fmt::format("value {}", static_cast<uint64_t>(static_cast<std::underlying_type_t<E>>(e))));
}

inline void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const varuint32& v) { ar.writer().write_varuint32(v.value); }
inline void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, varuint32& v) { v.value = ar.reader().read_varuint32(); }
inline void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const varint32& v) { ar.writer().write_varint32(v.value); }
inline void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, varint32& v) { v.value = ar.reader().read_varint32(); }

template <string_leaf T>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const T& v) {
   v.pack(ar.writer());
}
template <string_leaf T>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, T& v) {
   if (ar.ok())
      v.unpack(ar.reader());
}

// ---- strings and bytes -------------------------------------------------------------------------

inline void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const std::string& s) {
   ar.writer().write_varuint32(static_cast<uint32_t>(s.size()));
   ar.writer().write(s.data(), s.size());
}
inline void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, std::string& s) {
   auto& r = ar.reader();
   uint32_t n = r.read_count(limits::max_byte_array_bytes, 1, decode_errc::bytes_too_large);
   auto view = r.take(n);
   s.assign(reinterpret_cast<const char*>(view.data()), view.size());
}

inline void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const bytes& b) {
   ar.writer().write_varuint32(static_cast<uint32_t>(b.size()));
   ar.writer().write(b.data(), b.size());
}
inline void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, bytes& b) {
   auto& r = ar.reader();
   uint32_t n = r.read_count(limits::max_byte_array_bytes, 1, decode_errc::bytes_too_large);
   auto view = r.take(n);
   b.assign(reinterpret_cast<const char*>(view.data()), reinterpret_cast<const char*>(view.data()) + view.size());
}

template <std::size_t N>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const fixed_bytes<N>& b) {
   ar.writer().write_varuint32(static_cast<uint32_t>(N));
   ar.writer().write(b.data.data(), N);
}
template <std::size_t N>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, fixed_bytes<N>& b) {
   auto& r = ar.reader();
   const std::size_t at = r.offset();
   uint32_t n = r.read_varuint32();
   if (r.ok() && n != N) {
      r.fail_at(at, decode_errc::bad_value, fmt::format("length {} instead of {}", n, N));
      return;
   }
   r.read(b.data.data(), N);
}

// ---- containers --------------------------------------------------------------------------------

template <class T, class A>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const std::vector<T, A>& v) {
   ar.writer().write_varuint32(static_cast<uint32_t>(v.size()));
   for (const auto& e : v)
      ar(e);
}
template <class T, class A>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, std::vector<T, A>& v) {
   auto& r = ar.reader();
   uint32_t n = r.read_count(limits::max_array_elements, min_packed_size<T>::value, decode_errc::too_many_elements);
   v.clear();
   if (!r.ok())
      return;
   if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool> && min_packed_size<T>::value == sizeof(T)) {
      // The count check above already proved the input holds all n elements.
      v.resize(n);
      if (n != 0) // data() may be null
         r.read(v.data(), std::size_t(n) * sizeof(T));
      return;
   } else {
      v.reserve(n); // one allocation; each element is constructed once, by emplace_back
      r.push_index(0);
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
         r.set_index(i);
         ar(v.emplace_back());
      }
      r.pop();
   }
}

template <class T, std::size_t N>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const std::array<T, N>& v) {
   for (const auto& e : v)
      ar(e);
}
template <class T, std::size_t N>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, std::array<T, N>& v) {
   for (auto& e : v)
      ar(e);
}

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const std::optional<T>& o) {
   ar.writer().write_bool(o.has_value());
   if (o)
      ar(*o);
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, std::optional<T>& o) {
   o.reset();
   if (ar.reader().read_bool()) {
      o.emplace();
      ar(*o);
   }
}

/// fc packs a shared_ptr as an optional: bool present, then the value.
template <class T>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const std::shared_ptr<const T>& p) {
   ar.writer().write_bool(p != nullptr);
   if (p)
      ar(*p);
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, std::shared_ptr<const T>& p) {
   p.reset();
   if (ar.reader().read_bool()) {
      auto v = std::make_shared<T>();
      ar(*v);
      p = std::move(v);
   }
}

template <class A, class B>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const std::pair<A, B>& p) {
   ar(p.first, p.second);
}
template <class A, class B>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, std::pair<A, B>& p) {
   ar(p.first, p.second);
}

template <class K, class V>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const flat_map<K, V>& m) {
   ar.writer().write_varuint32(static_cast<uint32_t>(m.size()));
   for (const auto& [k, v] : m)
      ar(k, v);
}
/// As fc: pairs are inserted in wire order; a repeated key keeps its first value.
template <class K, class V>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, flat_map<K, V>& m) {
   auto& r = ar.reader();
   uint32_t n = r.read_count(limits::max_array_elements,
                             min_packed_size<K>::value + min_packed_size<V>::value, decode_errc::too_many_elements);
   m.clear();
   r.push_index(0);
   for (uint32_t i = 0; i < n && r.ok(); ++i) {
      r.set_index(i);
      std::pair<K, V> p;
      ar(p.first, p.second);
      m.insert(std::move(p));
   }
   r.pop();
}

template <class... Ts>
void CEREAL_SAVE_FUNCTION_NAME(raw_output_archive& ar, const std::variant<Ts...>& v) {
   ar.writer().write_varuint32(static_cast<uint32_t>(v.index()));
   std::visit([&](const auto& alt) { ar(alt); }, v);
}


template <class... Ts>
void CEREAL_LOAD_FUNCTION_NAME(raw_input_archive& ar, std::variant<Ts...>& v) {
   auto& r = ar.reader();
   const std::size_t at = r.offset();
   uint32_t index = r.read_varuint32();
   if (!r.ok())
      return;
   if (index >= sizeof...(Ts)) {
      r.fail_at(at, decode_errc::unknown_variant, fmt::format("index {} of {}", index, sizeof...(Ts)));
      return;
   }
   detail::load_variant_alt<0>(ar, v, index);
}

} // namespace core


CEREAL_SETUP_ARCHIVE_TRAITS(core::raw_input_archive, core::raw_output_archive)
