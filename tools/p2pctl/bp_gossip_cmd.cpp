// `bp-gossip-peers`: the BP peers the node learnt through gossip (Spring's /v1/net/bp_gossip_peers),
// one row per endpoint (text table) or one JSON object per endpoint (--json).
#include "commands.hpp"
#include "peer_cells.hpp"

#include <ostream>
#include <vector>

namespace p2pctl {

namespace {

void print_table(const rapidjson::Value& result, std::ostream& out) {
   std::vector<std::vector<std::string>> rows{{"PRODUCER", "ENDPOINT", "OUTBOUND_IP", "EXPIRATION"}};
   if (const auto* list = member(result, "bp_gossip_peers"); list && list->IsArray())
      for (const auto& p : list->GetArray())
         rows.push_back({member_text(p, "producer_name"), member_text(p, "server_endpoint"),
                         member_text(p, "outbound_ip_address"), member_text(p, "expiration")});
   print_aligned(rows, out);
}

void print_json(const rapidjson::Value& result, std::ostream& out) { print_json_lines(result, "bp_gossip_peers", out); }

} // namespace

command add_bp_gossip_peers_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("bp-gossip-peers", "block producer endpoints learnt through BP gossip");
   return {cmd, [&ctx] { return round_trip(ctx, request("bp_gossip_peers"), {print_table, print_json}); }};
}

} // namespace p2pctl
