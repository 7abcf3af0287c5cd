#pragma once
/// The codec's entry points: fc::raw bytes and nodeos JSON for any type that declares its
/// fields with cereal (see raw_archive.hpp, json_archive.hpp).
#include "codec/json_archive.hpp"
#include "codec/raw_archive.hpp"

#include <rapidjson/error/en.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// Appends the fc::raw encoding of v.
template <class T>
void pack_to(byte_writer& w, const T& v) {
   raw_output_archive ar(w);
   ar(v);
}

template <class T>
std::vector<uint8_t> pack(const T& v) {
   byte_writer w;
   pack_to(w, v);
   return w.take();
}

/// Decodes one T from the reader's current position (more input may follow).
template <class T>
void unpack_from(byte_reader& r, T& v) {
   raw_input_archive ar(r);
   ar(v);
}

/// Decodes exactly one T from `in`: the input must be at most limits::max_message_bytes and be
/// consumed exactly (trailing bytes are an error, as they would desynchronise a nodeos stream).
template <class T>
result<T, decode_error> unpack(std::span<const uint8_t> in, std::size_t max_bytes = limits::max_message_bytes) {
   byte_reader r(in);
   if (in.size() > max_bytes) {
      r.fail(decode_errc::message_too_large, fmt::format("{} bytes, limit {}", in.size(), max_bytes));
      return unexpected{r.error()};
   }
   T v{};
   unpack_from(r, v);
   if (r.ok() && r.remaining() != 0)
      r.fail(decode_errc::trailing_bytes, fmt::format("{} bytes left", r.remaining()));
   if (!r.ok())
      return unexpected{r.error()};
   return v;
}

/// Writes v's JSON through an existing writer (for embedding in a larger document).
template <class T>
void to_json(json_output_archive::writer_type& w, const T& v) {
   json_output_archive ar(w);
   ar(v);
}

/// v as one compact JSON text.
template <class T>
std::string to_json(const T& v) {
   rapidjson::StringBuffer sb;
   json_output_archive::writer_type w(sb);
   to_json(w, v);
   return std::string(sb.GetString(), sb.GetSize());
}

/// Reads a T from a parsed JSON value.
template <class T>
result<T, decode_error> from_json(const rapidjson::Value& j) {
   json_input_archive ar(j);
   T v{};
   ar(v);
   if (!ar.ok())
      return unexpected{ar.error()};
   return v;
}

/// Parses JSON text and reads a T from it.
template <class T>
result<T, decode_error> from_json(std::string_view text) {
   rapidjson::Document d;
   d.Parse(text.data(), text.size());
   if (d.HasParseError()) {
      decode_error e;
      e.code = decode_errc::bad_json;
      e.detail = fmt::format("{} at character {}", rapidjson::GetParseError_En(d.GetParseError()), d.GetErrorOffset());
      return unexpected{e};
   }
   return from_json<T>(static_cast<const rapidjson::Value&>(d));
}

} // namespace core
