// `block NUM|ID`: one block from the node, by number or by 64-hex id, as JSON.
#include "commands.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>

namespace p2pctl {

namespace {
bool is_block_id(const std::string& s) {
   return s.size() == 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

std::optional<uint32_t> block_num(const std::string& s) {
   uint32_t n = 0;
   const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
   if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      return std::nullopt;
   return n;
}

std::string block_request(const std::string& which) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   w.StartObject();
   w.Key("cmd");
   w.String("block");
   if (is_block_id(which)) {
      std::string id = which;
      std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return char(std::tolower(c)); });
      w.Key("id");
      w.String(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
   } else {
      w.Key("num");
      w.Uint(*block_num(which));
   }
   w.EndObject();
   return sb.GetString();
}
} // namespace

command add_block_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("block", "one block by number or id, as JSON");
   auto which = std::make_shared<std::string>();
   cmd->add_option("block", *which, "block number, or block id (64 hex digits)")
      ->required()
      ->check([](const std::string& s) -> std::string {
         return is_block_id(s) || block_num(s) ? "" : "expected a block number or a 64-hex-digit block id";
      });
   return {cmd, [&ctx, which] {
              return round_trip(ctx, block_request(*which), {[](const rapidjson::Value& r, std::ostream& out) {
                                   out << pretty(r) << '\n';
                                }});
           }};
}

} // namespace p2pctl
