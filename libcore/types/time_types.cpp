#include "types/time_types.hpp"

#include <fmt/format.h>

namespace core {

namespace {
// Howard Hinnant's civil-date algorithms.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
   y -= m <= 2;
   const int64_t era = (y >= 0 ? y : y - 399) / 400;
   const unsigned yoe = static_cast<unsigned>(y - era * 400);
   const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
   const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
   return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
   z += 719468;
   const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
   const unsigned doe = static_cast<unsigned>(z - era * 146097);
   const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
   y = static_cast<int64_t>(yoe) + era * 400;
   const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
   const unsigned mp = (5 * doy + 2) / 153;
   d = doy - (153 * mp + 2) / 5 + 1;
   m = mp + (mp < 10 ? 3 : -9);
   y += m <= 2;
}
bool digits(std::string_view s, std::size_t pos, std::size_t n, int64_t& out) {
   if (pos + n > s.size())
      return false;
   out = 0;
   for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9')
         return false;
      out = out * 10 + (s[i] - '0');
   }
   return true;
}
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
} // namespace

std::string format_iso_seconds(int64_t secs) {
   int64_t days = floor_div(secs, 86400);
   int64_t rem = secs - days * 86400;
   int64_t y;
   unsigned m, d;
   civil_from_days(days, y, m, d);
   return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rem / 3600, rem / 60 % 60, rem % 60);
}

result<int64_t> parse_iso_time_us(std::string_view s) {
   auto bad = [&] { return unexpected{fmt::format("\"{}\" is not a time (YYYY-MM-DDTHH:MM:SS[.fff])", s)}; };
   int64_t y, mo, d, h, mi, se;
   if (s.size() < 19 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
       !digits(s, 8, 2, d) || s[10] != 'T' || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) ||
       s[16] != ':' || !digits(s, 17, 2, se))
      return bad();
   if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
      return bad();
   int64_t us = 0;
   std::size_t pos = 19;
   if (pos < s.size() && s[pos] == '.') {
      ++pos;
      std::size_t n = 0;
      int64_t frac = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
         if (n < 6) {
            frac = frac * 10 + (s[pos] - '0');
            ++n;
         }
         ++pos;
      }
      if (n == 0)
         return bad();
      for (; n < 6; ++n)
         frac *= 10;
      us = frac;
   }
   if (pos < s.size() && s[pos] == 'Z')
      ++pos;
   if (pos != s.size())
      return bad();
   int64_t days = days_from_civil(y, unsigned(mo), unsigned(d));
   return ((days * 86400 + h * 3600 + mi * 60 + se) * 1000000) + us;
}

std::string time_point::to_string() const {
   const int64_t secs = floor_div(us, 1000000);
   const int64_t sub_us = us % 1000000 + (us % 1000000 < 0 ? 1000000 : 0); // secs * 1000000 may overflow
   const int64_t ms = sub_us / 1000;
   return fmt::format("{}.{:03}", format_iso_seconds(secs), ms);
}

result<time_point> time_point::from_string(std::string_view s) {
   auto r = parse_iso_time_us(s);
   if (!r)
      return unexpected{r.error()};
   return time_point{*r};
}

result<time_point_sec> time_point_sec::from_string(std::string_view s) {
   auto r = parse_iso_time_us(s);
   if (!r)
      return unexpected{r.error()};
   if (*r < 0 || *r / 1000000 > int64_t(UINT32_MAX))
      return unexpected{fmt::format("\"{}\" is outside the range of time_point_sec", s)};
   return time_point_sec{static_cast<uint32_t>(*r / 1000000)};
}

result<block_timestamp> block_timestamp::from_string(std::string_view s) {
   auto r = parse_iso_time_us(s);
   if (!r)
      return unexpected{r.error()};
   int64_t ms = *r / 1000;
   if (ms < epoch_ms || (ms - epoch_ms) / interval_ms > int64_t(UINT32_MAX))
      return unexpected{fmt::format("\"{}\" is outside the range of block_timestamp", s)};
   return block_timestamp{static_cast<uint32_t>((ms - epoch_ms) / interval_ms)};
}

static_assert(string_leaf<time_point>);
static_assert(string_leaf<time_point_sec>);
static_assert(string_leaf<block_timestamp>);

} // namespace core
