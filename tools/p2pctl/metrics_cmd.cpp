// `metrics`: the node's Prometheus exposition text, printed as is.
#include "commands.hpp"

#include <ostream>

namespace p2pctl {

command add_metrics_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("metrics", "the node's metrics in Prometheus text format");
   return {cmd, [&ctx] {
              return round_trip(ctx, request("metrics"), {[](const rapidjson::Value& r, std::ostream& out) {
                                   const auto* t = member(r, "text");
                                   const std::string text = t && t->IsString() ? cell(*t) : std::string();
                                   out << text;
                                   if (!text.empty() && text.back() != '\n')
                                      out << '\n';
                                }});
           }};
}

} // namespace p2pctl
