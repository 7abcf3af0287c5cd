#pragma once
/// fc time types: time_point (µs since the Unix epoch), time_point_sec (s), and
/// block_timestamp (500 ms slots since 2000-01-01T00:00:00Z), with fc's ISO-8601 string forms.
#include "codec/leaf.hpp"

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace core {

/// Parses "YYYY-MM-DDTHH:MM:SS[.fff[fff]][Z]" as microseconds since the Unix epoch.
result<int64_t> parse_iso_time_us(std::string_view s);
/// "YYYY-MM-DDTHH:MM:SS" for whole seconds since the Unix epoch.
std::string format_iso_seconds(int64_t secs);

struct time_point {
   int64_t us = 0; ///< microseconds since the Unix epoch

   static time_point from_system(std::chrono::system_clock::time_point t) {
      return {std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count()};
   }
   /// fc form: milliseconds always printed, sub-millisecond digits dropped.
   std::string to_string() const;
   static result<time_point> from_string(std::string_view s);
   void pack(byte_writer& w) const { w.write_int(us); }
   void unpack(byte_reader& r) { us = r.read_int<int64_t>(); }
   auto operator<=>(const time_point&) const = default;
};

struct time_point_sec {
   uint32_t secs = 0; ///< seconds since the Unix epoch

   std::string to_string() const { return format_iso_seconds(secs); }
   static result<time_point_sec> from_string(std::string_view s);
   void pack(byte_writer& w) const { w.write_int(secs); }
   void unpack(byte_reader& r) { secs = r.read_int<uint32_t>(); }
   auto operator<=>(const time_point_sec&) const = default;
};

struct block_timestamp {
   static constexpr int64_t interval_ms = 500;
   static constexpr int64_t epoch_ms = 946684800000LL; ///< 2000-01-01T00:00:00Z

   uint32_t slot = 0;

   static block_timestamp from_time_point(time_point t) {
      return {static_cast<uint32_t>((t.us / 1000 - epoch_ms) / interval_ms)};
   }
   time_point to_time_point() const { return {(int64_t(slot) * interval_ms + epoch_ms) * 1000}; }
   block_timestamp next() const { return {slot + 1}; }

   std::string to_string() const { return to_time_point().to_string(); }
   static result<block_timestamp> from_string(std::string_view s);
   void pack(byte_writer& w) const { w.write_int(slot); }
   void unpack(byte_reader& r) { slot = r.read_int<uint32_t>(); }
   auto operator<=>(const block_timestamp&) const = default;
};

template <>
struct min_packed_size<time_point> {
   static constexpr std::size_t value = 8;
};
template <>
struct min_packed_size<time_point_sec> {
   static constexpr std::size_t value = 4;
};
template <>
struct min_packed_size<block_timestamp> {
   static constexpr std::size_t value = 4;
};

} // namespace core
