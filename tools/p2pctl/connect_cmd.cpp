// `connect ADDR` / `disconnect ADDR`: add or remove an outbound peer, like nodeos's net API.
#include "commands.hpp"

#include <memory>
#include <ostream>

namespace p2pctl {

namespace {
command add_address_command(CLI::App& app, const context& ctx, const char* name, const char* help) {
   auto* cmd = app.add_subcommand(name, help);
   auto address = std::make_shared<std::string>();
   cmd->add_option("address", *address, "peer address host:port")->required();
   return {cmd, [&ctx, address, name] {
              return round_trip(ctx, request(name, "address", *address),
                                {[](const rapidjson::Value& r, std::ostream& out) {
                                   const auto* a = member(r, "address");
                                   const auto* s = member(r, "status");
                                   out << (a ? cell(*a) : "-") << ": " << (s ? cell(*s) : "-") << '\n';
                                }});
           }};
}
} // namespace

command add_connect_command(CLI::App& app, const context& ctx) {
   return add_address_command(app, ctx, "connect", "connect to a peer (host:port)");
}

command add_disconnect_command(CLI::App& app, const context& ctx) {
   return add_address_command(app, ctx, "disconnect", "close the connection to a peer (host:port)");
}

} // namespace p2pctl
