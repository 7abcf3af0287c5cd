#pragma once
/// What `p2pctl top` shows, apart from the terminal: the node's status and peers replies turned
/// into one frame of text (a summary, one row per peer sorted by a column, recent connection
/// events), with per-second byte rates from two consecutive samples.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2pctl {

/// The peer table's columns, in display order.
inline constexpr std::string_view top_columns[] = {"ID",      "ADDRESS", "AGENT",  "PROTO", "LATENCY", "IN/s", "OUT/s",
                                                   "LASTBLK", "BLOCKS",  "TRXS",   "VOTES", "STATE"};
inline constexpr std::size_t top_column_count = std::size(top_columns);

/// The column named `name` (case-insensitive, as --sort takes it); nullopt when there is none.
std::optional<std::size_t> top_column(std::string_view name);

class top_view {
public:
   /// A new sample: the `result` objects of a status and a peers reply, taken `seconds` after the
   /// previous sample (rates are shown from the second sample on).
   void sample(const rapidjson::Value& status, const rapidjson::Value& peers, double seconds);
   /// A watch event line's object: peer events go to the recent-events list (newest last).
   void event(const rapidjson::Value& e, std::string_view clock_text);

   std::size_t sort_column = 0;
   bool descending = false;

   /// The frame, at most `rows` lines of at most `width` columns (0: no limit).
   std::vector<std::string> render(std::size_t width = 0, std::size_t rows = 0) const;

private:
   struct totals {
      uint64_t in = 0, out = 0;
   };
   struct row {
      std::vector<std::string> cells;
      std::vector<std::optional<double>> keys; ///< numeric sort key per column, when it has one
   };
   std::vector<std::string> summary_;
   std::vector<row> rows_;
   std::map<std::string, totals> last_bytes_; ///< by connection id
   std::deque<std::string> events_;
   bool have_previous_ = false;
};

} // namespace p2pctl
