// msgcraft probe: a conformance probe of a live peer (probe/catalogue.hpp, probe/runner.hpp).
#include "commands.hpp"
#include "peer_flags.hpp"

#include "probe/catalogue.hpp"
#include "probe/runner.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <memory>
#include <ostream>

namespace msgcraft {

namespace {

/// Exit status when the peer cannot be reached (as msgcraft send).
constexpr int exit_cannot_connect = 3;

struct probe_options {
   std::string target;
   handshake_flags hs;
   std::string expect;
   std::vector<std::string> only, skip;
   bool list = false;
   double timeout_s = 5;
   double connect_timeout_s = 5;
};

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key_string(writer& w, std::string_view key, std::string_view value) {
   w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
   w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string result_line(const probe::check_result& r, probe::flavour f) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   key_string(w, "check", r.def->name);
   key_string(w, "expect", r.def->expect(f).text);
   key_string(w, "observed", probe::describe(r.seen));
   w.Key("ok");
   w.Bool(r.ok);
   if (r.skipped)
      key_string(w, "skipped", r.seen.skipped);
   key_string(w, "reference", r.def->reference);
   w.EndObject();
   return std::string(sb.GetString(), sb.GetSize());
}

int list_checks(const std::vector<const probe::check_def*>& checks, const streams& io) {
   for (const auto* c : checks) {
      rapidjson::StringBuffer sb;
      writer w(sb);
      w.StartObject();
      key_string(w, "check", c->name);
      key_string(w, "about", c->about);
      key_string(w, "leap5", c->leap5.text);
      key_string(w, "spring", c->spring.text);
      key_string(w, "reference", c->reference);
      w.EndObject();
      io.out << sb.GetString() << '\n';
   }
   return exit_ok;
}

int run_probe_cmd(const probe_options& o, const streams& io) {
   std::string error;
   const auto checks = probe::select_checks(o.only, o.skip, error);
   if (!error.empty())
      throw usage_error("--only/--skip", error);
   if (checks.empty())
      throw usage_error("--only/--skip", "no check left to run");
   if (o.list)
      return list_checks(checks, io);

   probe::probe_config cfg;
   cfg.target = o.target;
   const auto t = parse_target(o.target);
   cfg.host = t.host;
   cfg.port = t.port;
   cfg.handshake = o.hs.make(io.in);
   cfg.timeout = seconds_flag("--timeout", o.timeout_s);
   cfg.connect_timeout = seconds_flag("--connect-timeout", o.connect_timeout_s);
   if (o.expect == "leap5")
      cfg.expect = probe::flavour::leap5;
   else if (o.expect == "spring")
      cfg.expect = probe::flavour::spring;
   cfg.checks = checks;

   probe::flavour chosen = probe::flavour::leap5;
   auto summary = probe::run_probe(
      cfg,
      [&](probe::flavour f, const probe::probe_summary& s) {
         chosen = f;
         std::string peer = "no handshake from the peer";
         if (s.peer)
            peer = fmt::format("\"{}\", network_version {}, head {}, LIB {}", s.peer->agent, s.peer->network_version,
                               s.peer->head_num, s.peer->last_irreversible_block_num);
         io.err << fmt::format("msgcraft probe: {} ({}), expecting {}{}\n", o.target, peer, probe::to_string(f),
                               cfg.expect ? "" : " (from its network_version; --expect to choose)")
                << std::flush;
      },
      [&](const probe::check_result& r) { io.out << result_line(r, chosen) << '\n' << std::flush; });
   if (summary.unreachable) {
      io.err << fmt::format("msgcraft probe: cannot connect to {}: {}\n", o.target, summary.error) << std::flush;
      return exit_cannot_connect;
   }
   std::size_t ok = 0, failed = 0, skipped = 0;
   std::size_t width = 0;
   for (const auto& r : summary.results)
      width = std::max(width, r.def->name.size());
   for (const auto& r : summary.results) {
      const char* verdict = r.skipped ? "skip" : r.ok ? "ok" : "FAIL";
      io.err << fmt::format("  {:<4}  {:<{}}  {}\n", verdict, r.def->name, width, probe::describe(r.seen));
      if (!r.ok)
         io.err << fmt::format("        {:<{}}  expected: {}\n", "", width, r.def->expect(summary.expect).text);
      (r.skipped ? skipped : r.ok ? ok : failed)++;
   }
   const std::size_t not_run = checks.size() - summary.results.size();
   io.err << fmt::format("msgcraft probe: {} checks: {} ok, {} failed, {} skipped{}\n", checks.size(), ok, failed,
                         skipped, not_run ? fmt::format(", {} not run (the peer stopped answering)", not_run) : "")
          << std::flush;
   return failed || not_run ? exit_failure : exit_ok;
}

} // namespace

command add_probe_command(CLI::App& app, const streams& io) {
   auto o = std::make_shared<probe_options>();
   auto* cmd = app.add_subcommand("probe", "Check a live peer's conformance to the protocol, check by check");
   cmd->add_option("target", o->target, "The peer's p2p endpoint")->type_name("HOST:PORT");
   cmd->add_option("--expect", o->expect, "The behaviour to expect: leap5 or spring (default: from the peer's version)")
      ->check(CLI::IsMember({"leap5", "spring"}))
      ->type_name("leap5|spring");
   cmd->add_option("--only", o->only, "Run only these checks: a name, a prefix such as handshake.* (repeatable)")
      ->type_name("CHECK")
      ->allow_extra_args(false);
   cmd->add_option("--skip", o->skip, "Do not run these checks (repeatable, as --only)")
      ->type_name("CHECK")
      ->allow_extra_args(false);
   cmd->add_flag("--list", o->list, "Print the checks (as selected) with their expectations, and connect to nothing");
   cmd->add_option("--timeout", o->timeout_s, "Wait this long for an answer (default 5)")->type_name("SEC");
   cmd->add_option("--connect-timeout", o->connect_timeout_s, "Give up connecting after SEC seconds (default 5)")
      ->type_name("SEC");
   o->hs.add(*cmd);
   return {cmd, [o, &io] {
              if (o->target.empty() && !o->list)
                 throw usage_error("HOST:PORT", "HOST:PORT is required (unless --list)");
              return run_probe_cmd(*o, io);
           }};
}

} // namespace msgcraft
