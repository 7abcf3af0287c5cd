#pragma once
/// "String leaves": types the archives treat as single values. A string leaf packs and unpacks
/// itself in fc::raw form and has one canonical JSON string form (keys, signatures, checksums,
/// names, timestamps). The archives (raw_archive.hpp, json_archive.hpp) handle every type that
/// models this concept, so lower layers define their wire and JSON forms in one place.
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"
#include "codec/result.hpp"

#include <concepts>
#include <string>
#include <string_view>

namespace core {

template <class T>
concept string_leaf = requires(const T& c, T& m, byte_writer& w, byte_reader& r, std::string_view s) {
   { c.pack(w) } -> std::same_as<void>;
   { m.unpack(r) } -> std::same_as<void>;  ///< on bad input calls r.fail(...) and leaves m valid
   { c.to_string() } -> std::same_as<std::string>;
   { T::from_string(s) } -> std::same_as<result<T>>; ///< error: one line saying what is wrong
};

/// Minimum packed size of T, used to bound container counts by the remaining input before
/// allocating. Types of fixed size specialise this; the default is one byte.
template <class T>
struct min_packed_size {
   static constexpr std::size_t value = 1;
};

} // namespace core
