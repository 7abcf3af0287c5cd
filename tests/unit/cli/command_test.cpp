// The tools' command pattern: one parse-and-catch block, the unknown word named, the shared flags.
#include "cli/command.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace core::cli;

namespace {

struct outcome {
   int code;
   std::string out, err;
};

/// A tool "demo" with commands `greet [--loud] [--json]` and `boom`, run on `args`.
outcome run_demo(std::vector<std::string> args, std::function<int()> greet = {}) {
   std::istringstream in;
   std::ostringstream out, err;
   const streams io{in, out, err};
   CLI::App app("demo tool", "demo");
   app.set_version_flag("--version", "demo 1.2.3");
   app.require_subcommand(1);
   bool loud = false, json = false;
   std::string dir;
   auto* g = app.add_subcommand("greet", "say hello");
   g->add_flag("--loud", loud, "louder");
   add_json_flag(*g, json);
   add_data_dir_option(*g, dir);
   auto* b = app.add_subcommand("boom", "fail in every way");
   const std::vector<command> commands = {
      {g, greet ? greet : [&] { io.out << (loud ? "HELLO" : "hello") << (json ? " json" : "") << dir << '\n'; return exit_ok; }},
      {b, [&]() -> int { throw std::runtime_error("kaput"); }},
   };
   const int code = run(app, commands, std::move(args), io);
   return {code, out.str(), err.str()};
}

} // namespace

TEST_CASE("cli: the selected command runs and its exit code is the tool's", "[cli]") {
   auto r = run_demo({"greet", "--loud", "--json", "-d", "/x"});
   CHECK(r.code == 0);
   CHECK(r.out == "HELLO json/x\n");
   CHECK(r.err.empty());
   CHECK(run_demo({"greet"}, [] { return 7; }).code == 7);
}

TEST_CASE("cli: an unknown option or command is named, whatever else CLI11 met first", "[cli]") {
   auto cmd = run_demo({"bogus"});
   CHECK(cmd.code == exit_usage);
   CHECK(cmd.err == "demo: unknown command \"bogus\" (commands: greet, boom)\n");
   auto opt = run_demo({"--bogus", "greet"});
   CHECK(opt.code == exit_usage);
   CHECK(opt.err == "demo: unknown option --bogus\n");
   auto sub = run_demo({"greet", "--bogus"});
   CHECK(sub.code == exit_usage);
   CHECK(sub.err == "demo: unknown option --bogus for greet\n");
   auto arg = run_demo({"greet", "extra"});
   CHECK(arg.code == exit_usage);
   CHECK(arg.err == "demo: unexpected argument \"extra\" for greet\n");
   auto none = run_demo({});
   CHECK(none.code == exit_usage);
   CHECK(none.err.starts_with("demo: "));
   CHECK(std::count(none.err.begin(), none.err.end(), '\n') == 1);
}

TEST_CASE("cli: a word a command passes up to the tool (fallthrough) is named with that command", "[cli]") {
   auto run_fallthrough = [](std::vector<std::string> args) {
      std::istringstream in;
      std::ostringstream out, err;
      const streams io{in, out, err};
      CLI::App app("tool with global options", "demo");
      app.require_subcommand(1);
      bool json = false;
      add_json_flag(app, json);
      auto* s = app.add_subcommand("status", "show status");
      s->fallthrough();
      const int code = run(app, {{s, [&] { io.out << (json ? "json" : "text") << '\n'; return exit_ok; }}}, std::move(args), io);
      return outcome{code, out.str(), err.str()};
   };
   auto ok = run_fallthrough({"status", "--json"});
   CHECK(ok.code == 0);
   CHECK(ok.out == "json\n");
   auto opt = run_fallthrough({"status", "--bogus"});
   CHECK(opt.code == exit_usage);
   CHECK(opt.err == "demo: unknown option --bogus for status\n");
   auto word = run_fallthrough({"status", "extra"});
   CHECK(word.code == exit_usage);
   CHECK(word.err == "demo: unexpected argument \"extra\" for status\n");
   auto cmd = run_fallthrough({"bogus"});
   CHECK(cmd.code == exit_usage);
   CHECK(cmd.err == "demo: unknown command \"bogus\" (commands: status)\n");
}

TEST_CASE("cli: help and version print to stdout and exit 0", "[cli]") {
   auto h = run_demo({"--help"});
   CHECK(h.code == 0);
   CHECK(h.out.find("Usage: demo") != std::string::npos);
   CHECK(h.err.empty());
   auto v = run_demo({"--version"});
   CHECK(v.code == 0);
   CHECK(v.out == "demo 1.2.3\n");
   auto sh = run_demo({"greet", "--help"});
   CHECK(sh.code == 0);
   CHECK(sh.out.find("--json") != std::string::npos);
}

TEST_CASE("cli: a usage error or an exception from a command is one line and its exit code", "[cli]") {
   auto u = run_demo({"greet"}, []() -> int { throw usage_error("--loud", "too quiet"); });
   CHECK(u.code == exit_usage);
   CHECK(u.err == "demo: --loud: too quiet\n");
   auto e = run_demo({"boom"});
   CHECK(e.code == exit_failure);
   CHECK(e.err == "demo: internal error: kaput\n");
}

TEST_CASE("cli: fail writes one line whatever the message holds", "[cli]") {
   std::ostringstream err;
   CHECK(fail(err, "demo", "two\nlines", 5) == 5);
   CHECK(err.str() == "demo: two lines\n");
}
