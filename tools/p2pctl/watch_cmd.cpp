// `watch [--count N]`: subscribe to the node's events and print one line per event until
// interrupted (SIGINT: exit 0) or N events.
#include "commands.hpp"

#include <fmt/format.h>

#include <csignal>
#include <memory>
#include <ostream>

namespace p2pctl {

namespace {

/// Set by the SIGINT handler while a watch runs; a signal handler can reach nothing else.
volatile std::sig_atomic_t interrupted = 0;

extern "C" void on_sigint(int) { interrupted = 1; }

/// Installs on_sigint for its lifetime and restores the previous disposition.
class sigint_scope {
public:
   sigint_scope() {
      interrupted = 0;
      struct sigaction sa {};
      sa.sa_handler = on_sigint;
      sigemptyset(&sa.sa_mask);
      ::sigaction(SIGINT, &sa, &old_);
   }
   ~sigint_scope() { ::sigaction(SIGINT, &old_, nullptr); }
   sigint_scope(const sigint_scope&) = delete;
   sigint_scope& operator=(const sigint_scope&) = delete;

private:
   struct sigaction old_ {};
};

std::string field(const rapidjson::Value& e, const char* key) {
   const auto* v = member(e, key);
   return v ? cell(*v) : "-";
}

/// One readable line per event; unknown events as compact JSON.
std::string event_text(const rapidjson::Value& e) {
   const auto* kind = member(e, "event");
   const std::string k = kind && kind->IsString() ? kind->GetString() : "";
   if (k == "block")
      return fmt::format("block  #{}  {}  producer={}  time={}  trx={}", field(e, "block_num"), field(e, "id"),
                         field(e, "producer"), field(e, "timestamp"), field(e, "transactions"));
   if (k == "lib")
      return fmt::format("lib    #{}  {}", field(e, "block_num"), field(e, "id"));
   if (k == "peer") {
      std::string s = fmt::format("peer   {}  #{}  {}", field(e, "action"), field(e, "connection_id"), field(e, "peer"));
      if (const auto* r = member(e, "reason"); r && r->IsString() && r->GetStringLength() > 0)
         s += fmt::format("  ({})", r->GetString());
      return s;
   }
   if (k == "store") {
      const auto* a = member(e, "available");
      if (a && a->IsBool() && a->GetBool())
         return "store  writes again";
      return fmt::format("store  unavailable  ({})", field(e, "error"));
   }
   return compact(e);
}

int watch(const context& ctx, uint64_t count) {
   const sigint_scope sigint;
   rapidjson::Document reply;
   int code = exit_ok;
   auto c = request_accepted(ctx, request("watch"), reply, code);
   if (!c)
      return code;
   const auto path = ctx.opt.socket_path();
   for (uint64_t seen = 0; count == 0 || seen < count; ++seen) {
      ctx.io.out.flush();
      auto line = c->read_line(std::nullopt, &interrupted);
      if (!line) {
         if (line.error().what == client_error::kind::interrupted)
            return exit_ok;
         return fail(ctx.io.err, "watch on " + path + " ended: " + line.error().message, exit_unreachable);
      }
      rapidjson::Document event;
      event.Parse(line->data(), line->size());
      if (event.HasParseError())
         return fail(ctx.io.err, "bad event from p2pnode at " + path + ": not JSON", exit_unreachable);
      ctx.io.out << (ctx.opt.json ? compact(event) : event_text(event)) << '\n';
   }
   ctx.io.out.flush();
   return exit_ok;
}

} // namespace

command add_watch_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("watch", "print the node's events (blocks, LIB, peers) as they happen");
   auto count = std::make_shared<uint64_t>(0);
   cmd->add_option("-n,--count", *count, "stop after N events (default: until interrupted)")
      ->check(CLI::PositiveNumber);
   return {cmd, [&ctx, count] { return watch(ctx, *count); }};
}

} // namespace p2pctl
