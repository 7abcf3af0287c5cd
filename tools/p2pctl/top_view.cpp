#include "top_view.hpp"

#include "command.hpp"
#include "peer_cells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace p2pctl {

namespace {

constexpr std::size_t max_events = 8;

bool iequal(std::string_view a, std::string_view b) {
   return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
          });
}

std::optional<double> number(const rapidjson::Value& obj, const char* key) {
   const auto* v = member(obj, key);
   if (v && v->IsNumber())
      return v->GetDouble();
   return std::nullopt;
}

/// Bytes per second as top prints sizes: B, K, M, G with one decimal above B.
std::string rate_text(double bps) {
   constexpr const char* units[] = {"B", "K", "M", "G"};
   int u = 0;
   while (bps >= 1024 && u < 3) {
      bps /= 1024;
      ++u;
   }
   return u == 0 ? fmt::format("{:.0f}B", bps) : fmt::format("{:.1f}{}", bps, units[u]);
}

std::string fit(std::string s, std::size_t width) {
   if (width && s.size() > width)
      s.resize(width);
   return s;
}

} // namespace

std::optional<std::size_t> top_column(std::string_view name) {
   for (std::size_t i = 0; i < top_column_count; ++i)
      if (iequal(name, top_columns[i]))
         return i;
   return std::nullopt;
}

void top_view::sample(const rapidjson::Value& status, const rapidjson::Value& peers, double seconds) {
   summary_ = {
      fmt::format("head {} ({})  LIB {}  sync {}  producers {}", member_text(status, "head_block_num"),
                  member_text(status, "head_block_producer"), member_text(status, "last_irreversible_block_num"),
                  member_text(status, "sync_state"), member_text(status, "producers")),
      fmt::format("chain {}  peers {}", member_text(status, "chain_id").substr(0, 16), member_text(status, "peer_count")),
   };
   if (member_text(status, "store") == "unavailable")
      summary_.push_back(fmt::format("STORE UNAVAILABLE since {}: {}", member_text(status, "store_unavailable_since"),
                                     member_text(status, "store_error")));
   std::map<std::string, totals> bytes;
   rows_.clear();
   if (const auto* list = member(peers, "peers"); list && list->IsArray())
      for (const auto& p : list->GetArray()) {
         const auto* hs = member(p, "last_handshake");
         const bool has_hs = hs && hs->IsObject();
         const std::string id = member_text(p, "connection_id");
         const totals now{uint64_t(number(p, "bytes_received").value_or(0)), uint64_t(number(p, "bytes_sent").value_or(0))};
         bytes[id] = now;
         std::optional<double> in_rate, out_rate;
         if (auto prev = last_bytes_.find(id); have_previous_ && prev != last_bytes_.end() && seconds > 0) {
            in_rate = double(now.in >= prev->second.in ? now.in - prev->second.in : 0) / seconds;
            out_rate = double(now.out >= prev->second.out ? now.out - prev->second.out : 0) / seconds;
         }
         const auto latency = number(p, "latency_ms");
         row r;
         r.cells = {id,
                    peer_address(p),
                    has_hs ? member_text(*hs, "agent") : "-",
                    has_hs ? member_text(*hs, "network_version") : "-",
                    latency ? fmt::format("{:.1f}ms", *latency) : "-",
                    in_rate ? rate_text(*in_rate) : "-",
                    out_rate ? rate_text(*out_rate) : "-",
                    member_text(p, "last_received_block"),
                    member_text(p, "blocks_received"),
                    member_text(p, "transactions_received"),
                    member_text(p, "votes_received"),
                    peer_state(p)};
         r.keys = {number(p, "connection_id"),
                   std::nullopt,
                   std::nullopt,
                   has_hs ? number(*hs, "network_version") : std::nullopt,
                   latency,
                   in_rate,
                   out_rate,
                   number(p, "last_received_block"),
                   number(p, "blocks_received"),
                   number(p, "transactions_received"),
                   number(p, "votes_received"),
                   std::nullopt};
         rows_.push_back(std::move(r));
      }
   last_bytes_ = std::move(bytes);
   have_previous_ = true;
}

void top_view::event(const rapidjson::Value& e, std::string_view clock_text) {
   if (member_text(e, "event") != "peer")
      return;
   std::string line = fmt::format("{}  {} #{} {}", clock_text, member_text(e, "action"), member_text(e, "connection_id"), member_text(e, "peer"));
   if (const auto reason = member_text(e, "reason"); reason != "-" && !reason.empty())
      line += " (" + reason + ")";
   events_.push_back(std::move(line));
   while (events_.size() > max_events)
      events_.pop_front();
}

std::vector<std::string> top_view::render(std::size_t width, std::size_t rows) const {
   std::vector<std::string> out;
   for (const auto& s : summary_)
      out.push_back(fit(s, width));
   out.emplace_back();

   // Sorted rows: by the column's number when both have one (missing numbers last), else its text.
   std::vector<const row*> sorted;
   for (const auto& r : rows_)
      sorted.push_back(&r);
   const std::size_t c = std::min(sort_column, top_column_count - 1);
   std::stable_sort(sorted.begin(), sorted.end(), [&](const row* a, const row* b) {
      const auto &ka = a->keys[c], &kb = b->keys[c];
      if (ka && kb && *ka != *kb)
         return descending ? *ka > *kb : *ka < *kb;
      if (ka.has_value() != kb.has_value())
         return ka.has_value();
      if (!ka && a->cells[c] != b->cells[c])
         return descending ? a->cells[c] > b->cells[c] : a->cells[c] < b->cells[c];
      return false;
   });

   std::vector<std::size_t> w(top_column_count);
   for (std::size_t i = 0; i < top_column_count; ++i) {
      w[i] = top_columns[i].size() + (i == c ? 1 : 0);
      for (const auto* r : sorted)
         w[i] = std::max(w[i], r->cells[i].size());
   }
   auto line_of = [&](auto cell_at) {
      std::string line;
      for (std::size_t i = 0; i < top_column_count; ++i) {
         std::string v = cell_at(i);
         if (i)
            line += "  ";
         line += i + 1 < top_column_count ? v + std::string(w[i] - v.size(), ' ') : v;
      }
      return fit(line, width);
   };
   out.push_back(line_of([&](std::size_t i) {
      return std::string(top_columns[i]) + (i == c ? (descending ? "v" : "^") : "");
   }));
   for (const auto* r : sorted)
      out.push_back(line_of([&](std::size_t i) { return r->cells[i]; }));
   if (sorted.empty())
      out.push_back("(no peers)");

   out.emplace_back();
   out.push_back("recent connection events");
   for (const auto& e : events_)
      out.push_back(fit(e, width));
   if (events_.empty())
      out.push_back("(none yet)");
   if (rows && out.size() > rows)
      out.resize(rows);
   return out;
}

} // namespace p2pctl
