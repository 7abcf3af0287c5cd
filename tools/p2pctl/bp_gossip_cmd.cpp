// `bp-gossip-peers`: the BP peers the node learnt through gossip (Spring's /v1/net/bp_gossip_peers),
// one row per endpoint (text table) or one JSON object per endpoint (--json).
#include "commands.hpp"
#include "peer_cells.hpp"

#include <array>
#include <ostream>
#include <vector>

namespace p2pctl {

namespace {

constexpr std::size_t columns = 4;
using row = std::array<std::string, columns>;
const row header = {"PRODUCER", "ENDPOINT", "OUTBOUND_IP", "EXPIRATION"};

void print_table(const rapidjson::Value& result, std::ostream& out) {
   std::vector<row> rows{header};
   if (const auto* list = member(result, "bp_gossip_peers"); list && list->IsArray())
      for (const auto& p : list->GetArray())
         rows.push_back({member_text(p, "producer_name"), member_text(p, "server_endpoint"),
                         member_text(p, "outbound_ip_address"), member_text(p, "expiration")});
   std::array<std::size_t, columns> width{};
   for (const auto& r : rows)
      for (std::size_t i = 0; i < columns; ++i)
         width[i] = std::max(width[i], r[i].size());
   for (const auto& r : rows) {
      std::string line;
      for (std::size_t i = 0; i < columns; ++i) {
         if (i)
            line += "  ";
         line += i + 1 < columns ? r[i] + std::string(width[i] - r[i].size(), ' ') : r[i];
      }
      out << line << '\n';
   }
}

void print_json(const rapidjson::Value& result, std::ostream& out) {
   if (const auto* list = member(result, "bp_gossip_peers"); list && list->IsArray())
      for (const auto& p : list->GetArray())
         out << compact(p) << '\n';
}

} // namespace

command add_bp_gossip_peers_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("bp-gossip-peers", "block producer endpoints learnt through BP gossip");
   return {cmd, [&ctx] { return round_trip(ctx, request("bp_gossip_peers"), {print_table, print_json}); }};
}

} // namespace p2pctl
