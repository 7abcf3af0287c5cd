// `activate-savanna [--threshold N] DESCRIPTION=PUB_BLS_… ...`: ask a producing node to switch the
// chain to Savanna at its next block, with these finalizers (weight 1 each), as nodeos's
// eosio::setfinalizer action does through set_finalizers.
#include "commands.hpp"

#include <memory>
#include <ostream>

namespace p2pctl {

command add_activate_savanna_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("activate-savanna",
                                  "switch the chain to Savanna at the node's next produced block, with these finalizers");
   auto finalizers = std::make_shared<std::vector<std::string>>();
   auto threshold = std::make_shared<uint64_t>(0);
   cmd->add_option("finalizer", *finalizers, "DESCRIPTION=PUB_BLS_... of each finalizer (weight 1)")->required();
   cmd->add_option("--threshold", *threshold, "vote weight a QC needs (default: more than two thirds)");
   return {cmd, [&ctx, finalizers, threshold] {
              rapidjson::Document req(rapidjson::kObjectType);
              auto& a = req.GetAllocator();
              req.AddMember("cmd", "activate_savanna", a);
              rapidjson::Value policy(rapidjson::kObjectType), list(rapidjson::kArrayType);
              for (const auto& f : *finalizers) {
                 const auto eq = f.find('=');
                 if (eq == std::string::npos || f.compare(eq + 1, 8, "PUB_BLS_") != 0)
                    return fail(ctx.io.err, "finalizer \"" + f + "\": expected DESCRIPTION=PUB_BLS_...", exit_usage);
                 rapidjson::Value e(rapidjson::kObjectType);
                 e.AddMember("description", rapidjson::Value(f.substr(0, eq).c_str(), a), a);
                 e.AddMember("weight", 1, a);
                 e.AddMember("public_key", rapidjson::Value(f.substr(eq + 1).c_str(), a), a);
                 list.PushBack(e, a);
              }
              const uint64_t n = finalizers->size();
              policy.AddMember("generation", 1, a);
              policy.AddMember("threshold", *threshold ? *threshold : n * 2 / 3 + 1, a);
              policy.AddMember("finalizers", list, a);
              req.AddMember("policy", policy, a);
              return round_trip(ctx, compact(req), {[](const rapidjson::Value& r, std::ostream& out) {
                                   print_key_values(r, out);
                                }});
           }};
}

} // namespace p2pctl
