#pragma once
/// cereal archives producing and consuming the JSON forms nodeos prints (fc::variant/fc::json):
/// field names as declared, 64-bit integers as strings when they do not fit in 32 bits (as
/// fc::json writes them), bytes as lowercase hex, string leaves as their string form, variants
/// as [index, value], pairs as [first, second], absent optionals omitted, enums by name.
///
/// Types may add derived (informational) fields to their JSON object by declaring ADL hooks
/// `json_prefix_fields(json_output_archive&, const T&)` (written first) and
/// `json_suffix_fields(json_output_archive&, const T&)` (written last). The input archive
/// ignores fields it does not know, so derived fields are ignored on input.
#include "codec/decode_error.hpp"
#include "codec/hex.hpp"
#include "codec/leaf.hpp"
#include "codec/wire_types.hpp"

#include <cereal/cereal.hpp>
#include <cereal/types/base_class.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace core {

// =============================== output ===========================================================

class json_output_archive : public cereal::OutputArchive<json_output_archive> {
public:
   using writer_type = rapidjson::Writer<rapidjson::StringBuffer>;
   explicit json_output_archive(writer_type& w) : OutputArchive(this), w_(w) {}
   writer_type& writer() { return w_; }

   void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
   void string(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
   void uint64(uint64_t v) {
      if (v > 0xffffffffULL)
         string(std::to_string(v));
      else
         w_.Uint64(v);
   }
   void int64(int64_t v) {
      if (v > 0xffffffffLL || v < -0xffffffffLL)
         string(std::to_string(v));
      else
         w_.Int64(v);
   }
   /// Writes a derived field: key then value through this archive.
   template <class T>
   void field(std::string_view k, const T& v) {
      key(k);
      (*this)(v);
   }

private:
   writer_type& w_;
};

template <class T>
concept json_object_type = cereal::traits::has_member_serialize<T, json_output_archive>::value;

template <class T>
   requires json_object_type<T>
void prologue(json_output_archive& ar, const T& t) {
   ar.writer().StartObject();
   if constexpr (requires { json_prefix_fields(ar, t); })
      json_prefix_fields(ar, t);
}
template <class T>
   requires json_object_type<T>
void epilogue(json_output_archive& ar, const T& t) {
   if constexpr (requires { json_suffix_fields(ar, t); })
      json_suffix_fields(ar, t);
   ar.writer().EndObject();
}

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const cereal::NameValuePair<T>& nvp) {
   using V = std::remove_cvref_t<T>;
   if constexpr (is_optional<V>::value || is_shared_const<V>::value) {
      if (!nvp.value)
         return;
      ar.key(nvp.name);
      ar(*nvp.value);
   } else {
      ar.key(nvp.name);
      ar(nvp.value);
   }
}

template <class T>
   requires std::is_arithmetic_v<T>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const T& v) {
   if constexpr (std::is_same_v<T, bool>)
      ar.writer().Bool(v);
   else if constexpr (std::is_floating_point_v<T>)
      ar.writer().Double(v);
   else if constexpr (std::is_signed_v<T>)
      ar.int64(v);
   else
      ar.uint64(v);
}

template <wire_enum E>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const E& e) {
   std::string_view n = enum_name(e);
   if (!n.empty())
      ar.string(n);
   else
      ar.uint64(static_cast<uint64_t>(static_cast<std::underlying_type_t<E>>(e)));
}

inline void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const varuint32& v) { ar.uint64(v.value); }
inline void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const varint32& v) { ar.int64(v.value); }

template <string_leaf T>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const T& v) {
   ar.string(v.to_string());
}

inline void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const std::string& s) { ar.string(s); }
inline void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const bytes& b) { ar.string(to_hex(b)); }
template <std::size_t N>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const fixed_bytes<N>& b) {
   ar.string(to_hex(b.data));
}

template <class T, class A>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const std::vector<T, A>& v) {
   ar.writer().StartArray();
   for (const auto& e : v)
      ar(e);
   ar.writer().EndArray();
}
template <class T, std::size_t N>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const std::array<T, N>& v) {
   ar.writer().StartArray();
   for (const auto& e : v)
      ar(e);
   ar.writer().EndArray();
}
template <class T>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const std::optional<T>& o) {
   if (o)
      ar(*o);
   else
      ar.writer().Null();
}
template <class T>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const std::shared_ptr<const T>& p) {
   if (p)
      ar(*p);
   else
      ar.writer().Null();
}
template <class A, class B>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const std::pair<A, B>& p) {
   ar.writer().StartArray();
   ar(p.first, p.second);
   ar.writer().EndArray();
}
template <class K, class V>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const flat_map<K, V>& m) {
   ar.writer().StartArray();
   for (const auto& [k, v] : m) {
      ar.writer().StartArray();
      ar(k, v);
      ar.writer().EndArray();
   }
   ar.writer().EndArray();
}
template <class... Ts>
void CEREAL_SAVE_FUNCTION_NAME(json_output_archive& ar, const std::variant<Ts...>& v) {
   ar.writer().StartArray();
   ar.writer().Uint(static_cast<unsigned>(v.index()));
   std::visit([&](const auto& alt) { ar(alt); }, v);
   ar.writer().EndArray();
}

// =============================== input ============================================================

/// Reads from a parsed rapidjson value tree. Errors are sticky, like byte_reader's, and carry
/// the path of the failing field.
class json_input_archive : public cereal::InputArchive<json_input_archive> {
public:
   explicit json_input_archive(const rapidjson::Value& root) : InputArchive(this), cur_(&root) {}

   bool ok() const { return err_.code == decode_errc::ok; }
   const decode_error& error() const { return err_; }
   void fail(std::string detail);

   const rapidjson::Value& current() const { return *cur_; }

   /// Runs f with `v` as the current value and `name`/`index` appended to the path.
   template <class F>
   void with(const rapidjson::Value& v, const char* name, std::size_t index, F&& f) {
      const rapidjson::Value* saved = cur_;
      cur_ = &v;
      path_.push_back({name, index});
      f();
      path_.pop_back();
      cur_ = saved;
   }

   /// Reads the current value as an integer in [lo, hi]; accepts a number or a decimal string.
   bool read_integer(int64_t lo, uint64_t hi, bool is_signed, uint64_t& out_u, int64_t& out_s);

private:
   using path_elem = field_path_elem;
   std::string path() const { return format_field_path(path_); }

   const rapidjson::Value* cur_;
   std::vector<path_elem> path_;
   decode_error err_;
};

template <class T>
   requires json_object_type<T>
void prologue(json_input_archive& ar, const T&) {
   if (ar.ok() && !ar.current().IsObject())
      ar.fail("expected an object");
}


template <finishes_unpack T>
void epilogue(json_input_archive& ar, T& t) {
   if (!ar.ok())
      return;
   std::string detail;
   if (auto e = t.finish_unpack(detail); e != decode_errc::ok)
      ar.fail(std::move(detail));
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, cereal::NameValuePair<T>& nvp) {
   using V = std::remove_cvref_t<T>;
   if (!ar.ok() || !ar.current().IsObject())
      return;
   auto it = ar.current().FindMember(nvp.name);
   constexpr bool nullable = is_optional<V>::value || is_shared_const<V>::value;
   if (it == ar.current().MemberEnd() || (nullable && it->value.IsNull())) {
      if constexpr (nullable)
         nvp.value.reset();
      else
         ar.fail(fmt::format("missing field \"{}\"", nvp.name));
      return;
   }
   ar.with(it->value, nvp.name, 0, [&] {
      if constexpr (is_optional<V>::value)
         ar(nvp.value.emplace());
      else
         ar(nvp.value);
   });
}

template <class T>
   requires std::is_arithmetic_v<T>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, T& v) {
   if (!ar.ok())
      return;
   if constexpr (std::is_same_v<T, bool>) {
      const auto& j = ar.current();
      if (j.IsBool())
         v = j.GetBool();
      else if (j.IsUint() && j.GetUint() <= 1)
         v = j.GetUint() == 1;
      else
         ar.fail("expected true or false");
   } else if constexpr (std::is_floating_point_v<T>) {
      if (ar.current().IsNumber())
         v = static_cast<T>(ar.current().GetDouble());
      else
         ar.fail("expected a number");
   } else {
      uint64_t u = 0;
      int64_t s = 0;
      if (ar.read_integer(std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), std::is_signed_v<T>, u, s))
         v = std::is_signed_v<T> ? static_cast<T>(s) : static_cast<T>(u);
   }
}

template <wire_enum E>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, E& e) {
   using U = std::underlying_type_t<E>;
   if (!ar.ok())
      return;
   const auto& j = ar.current();
   if (j.IsString()) {
      std::string_view s(j.GetString(), j.GetStringLength());
      for (unsigned i = 0; i < 256; ++i) {
         if (enum_name(static_cast<E>(i)) == s) {
            e = static_cast<E>(i);
            return;
         }
      }
   }
   U u{};
   if (j.IsString()) {
      std::string_view s(j.GetString(), j.GetStringLength());
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), u);
      if (ec != std::errc{} || p != s.data() + s.size()) {
         ar.fail(fmt::format("unknown name \"{}\"", s));
         return;
      }
   } else {
      CEREAL_LOAD_FUNCTION_NAME(ar, u);
      if (!ar.ok())
         return;
   }
   e = static_cast<E>(u);
   if (!enum_value_valid(e))
      ar.fail(fmt::format("invalid value {}", static_cast<uint64_t>(u)));
}

inline void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, varuint32& v) { CEREAL_LOAD_FUNCTION_NAME(ar, v.value); }
inline void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, varint32& v) { CEREAL_LOAD_FUNCTION_NAME(ar, v.value); }

template <string_leaf T>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, T& v) {
   if (!ar.ok())
      return;
   if (!ar.current().IsString()) {
      ar.fail("expected a string");
      return;
   }
   auto r = T::from_string(std::string_view(ar.current().GetString(), ar.current().GetStringLength()));
   if (!r)
      ar.fail(r.error());
   else
      v = std::move(*r);
}

void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, std::string& s);
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, bytes& b);
/// Reads a hex string of exactly out.size() bytes.
void load_hex_exact(json_input_archive& ar, std::span<uint8_t> out);

template <std::size_t N>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, fixed_bytes<N>& b) {
   load_hex_exact(ar, b.data);
}

template <class T, class A>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, std::vector<T, A>& v) {
   v.clear();
   if (!ar.ok())
      return;
   const auto& j = ar.current();
   if (!j.IsArray()) {
      ar.fail("expected an array");
      return;
   }
   v.resize(j.Size());
   for (rapidjson::SizeType i = 0; i < j.Size() && ar.ok(); ++i)
      ar.with(j[i], nullptr, i, [&] { ar(v[i]); });
}
template <class T, std::size_t N>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, std::array<T, N>& v) {
   if (!ar.ok())
      return;
   const auto& j = ar.current();
   if (!j.IsArray() || j.Size() != N) {
      ar.fail(fmt::format("expected an array of {}", N));
      return;
   }
   for (rapidjson::SizeType i = 0; i < N && ar.ok(); ++i)
      ar.with(j[i], nullptr, i, [&] { ar(v[i]); });
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, std::optional<T>& o) {
   o.reset();
   if (ar.ok() && !ar.current().IsNull())
      ar(o.emplace());
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, std::shared_ptr<const T>& p) {
   p.reset();
   if (ar.ok() && !ar.current().IsNull()) {
      auto v = std::make_shared<T>();
      ar(*v);
      p = std::move(v);
   }
}

/// Checks the current value is an array of exactly n elements.
bool expect_tuple(json_input_archive& ar, unsigned n);

template <class A, class B>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, std::pair<A, B>& p) {
   if (!expect_tuple(ar, 2))
      return;
   const auto& j = ar.current();
   ar.with(j[0], nullptr, 0, [&] { ar(p.first); });
   ar.with(j[1], nullptr, 1, [&] { ar(p.second); });
}
template <class K, class V>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, flat_map<K, V>& m) {
   std::vector<std::pair<K, V>> v;
   CEREAL_LOAD_FUNCTION_NAME(ar, v);
   m.clear();
   for (auto& p : v)
      m.insert(std::move(p));
}
template <class... Ts>
void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, std::variant<Ts...>& v) {
   if (!expect_tuple(ar, 2))
      return;
   const auto& j = ar.current();
   uint32_t index = 0;
   ar.with(j[0], nullptr, 0, [&] { ar(index); });
   if (!ar.ok())
      return;
   if (index >= sizeof...(Ts)) {
      ar.fail(fmt::format("unknown variant index {}", index));
      return;
   }
   ar.with(j[1], nullptr, 1, [&] { detail::load_variant_alt<0>(ar, v, index); });
}

} // namespace core

CEREAL_SETUP_ARCHIVE_TRAITS(core::json_input_archive, core::json_output_archive)
