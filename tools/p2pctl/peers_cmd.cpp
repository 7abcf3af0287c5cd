// `peers`: one row per connection (text table) or one JSON object per peer (--json).
#include "commands.hpp"
#include "peer_cells.hpp"

#include <fmt/format.h>

#include <ostream>
#include <vector>

namespace p2pctl {

namespace {

using row = std::vector<std::string>;
/// VOTES, NACKS and NOTICES are "received/sent"; PROTO the protocol the connection carries.
const row header = {"ID",   "PEER",  "ADDRESS", "DIR",   "HEAD",  "LIB",     "LATENCY",
                    "IN",   "OUT",   "PROTO",   "VOTES", "NACKS", "NOTICES", "STATE"};
/// Numeric columns are right-aligned.
const std::vector<bool> right = {true, false, false, false, true, true, true,
                                             true, true,  true,  true,  true, true, false};

/// "received/sent" of two counters; "-" from a node that does not report them.
std::string pair_of(const rapidjson::Value& p, const char* received, const char* sent) {
   const auto* r = member(p, received);
   const auto* s = member(p, sent);
   if (!r || !s)
      return "-";
   return cell(*r) + "/" + cell(*s);
}

/// The connection's protocol; "-" before its handshake or from a node that does not report it.
std::string protocol_of(const rapidjson::Value& p) {
   const auto* v = member(p, "protocol_version");
   return v && v->IsUint() && v->GetUint() != 0 ? cell(*v) : "-";
}

/// The peer's live head or LIB (`live`), or its last handshake's (`from_handshake`) from a node
/// that does not report live values.
std::string chain_num(const rapidjson::Value& p, const char* live, const char* from_handshake) {
   if (const auto* v = member(p, live); v && v->IsUint() && v->GetUint() != 0)
      return cell(*v);
   const auto* hs = member(p, "last_handshake");
   return hs && hs->IsObject() ? member_text(*hs, from_handshake) : "-";
}

row row_of(const rapidjson::Value& p) {
   const auto* lat = member(p, "latency_ms");
   std::string latency = "-";
   if (lat && lat->IsNumber())
      latency = (lat->IsInt64() ? fmt::format("{}", lat->GetInt64()) : fmt::format("{:.1f}", lat->GetDouble())) + "ms";
   const auto* out = member(p, "outbound");
   const auto* cid = member(p, "connection_id");
   return {cid && cid->IsUint() && cid->GetUint() == 0 ? "-" : member_text(p, "connection_id"), // 0: no connection
           member_text(p, "peer"),
           peer_address(p),
           out && out->IsBool() ? (out->GetBool() ? "out" : "in") : "-",
           chain_num(p, "head_block_num", "head_num"),
           chain_num(p, "last_irreversible_block_num", "last_irreversible_block_num"),
           latency,
           member_text(p, "bytes_received"),
           member_text(p, "bytes_sent"),
           protocol_of(p),
           pair_of(p, "votes_received", "votes_relayed"),
           pair_of(p, "nacks_received", "nacks_sent"),
           pair_of(p, "notices_received", "notices_sent"),
           peer_state(p)};
}

void print_table(const rapidjson::Value& result, std::ostream& out) {
   std::vector<row> rows{header};
   if (const auto* peers = member(result, "peers"); peers && peers->IsArray())
      for (const auto& p : peers->GetArray())
         rows.push_back(row_of(p));
   print_aligned(rows, out, right);
}

void print_json(const rapidjson::Value& result, std::ostream& out) { print_json_lines(result, "peers", out); }

} // namespace

command add_peers_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("peers", "the node's connections");
   return {cmd, [&ctx] { return round_trip(ctx, request("peers"), {print_table, print_json}); }};
}

} // namespace p2pctl
