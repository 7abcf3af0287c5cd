// msgcraft fuzz: a structure-aware mutation fuzzer of a live peer (fuzz/campaign.hpp).
#include "commands.hpp"
#include "peer_flags.hpp"

#include "fuzz/campaign.hpp"
#include "fuzz/seeds.hpp"
#include "pcap/capture_file.hpp"

#include "net/type_table.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <set>

namespace msgcraft {

namespace {

struct fuzz_options {
   std::string target;
   handshake_flags hs;
   bool no_handshake = false;
   uint64_t seed = 1;
   uint64_t runs = 0;
   double duration_s = 0;
   double rate = 0;
   std::vector<std::string> corpus;
   std::vector<std::string> pcaps;
   bool no_builtin = false;
   std::vector<std::string> types;
   std::string findings = "msgcraft-findings";
   std::string exec;
   double exec_timeout_s = 30;
   double hang_timeout_s = 5;
   double connect_timeout_s = 5;
   unsigned max_findings = 0;
   bool no_minimise = false;
   unsigned minimise_runs = 32;
   bool verbose = false;
   bool no_progress = false;
};

/// Every frame of a capture (both directions of every connection that opens with a handshake),
/// as seeds "pcap:FILE#N".
core::result<std::vector<fuzz::seed>> pcap_seeds(const std::string& file) {
   pcap::capture_options opts;
   opts.any_port = true;
   std::vector<fuzz::seed> out;
   auto stats = pcap::read_capture(
      file, opts,
      [&](pcap::located_frame&& f) {
         out.push_back(fuzz::make_seed(fmt::format("pcap:{}#{}", file, out.size() + 1), std::move(f.frame.payload)));
      },
      [](const pcap::located_note&) {});
   if (!stats)
      return core::unexpected{stats.error()};
   if (out.empty())
      return core::unexpected{fmt::format("{}: no frame of the protocol in the capture", file)};
   return out;
}

int run_fuzz(const fuzz_options& o, const streams& io) {
   fuzz::campaign_config cfg;
   cfg.target = o.target;
   auto t = parse_target(o.target, true);
   std::string exec = o.exec;
   if (t.port == 0) {
      // Port 0: a free port, written into the --exec command where it says {port}.
      if (exec.find("{port}") == std::string::npos)
         throw usage_error("HOST:PORT", "port 0 needs --exec with {port} in its command");
      t.port = free_port(t.host);
      if (t.port == 0)
         return fail(io.err, "no free port on " + t.host);
      for (auto at = exec.find("{port}"); at != std::string::npos; at = exec.find("{port}", at))
         exec.replace(at, 6, std::to_string(t.port));
      cfg.target = fmt::format("{}:{}", t.host, t.port);
   }
   cfg.host = t.host;
   cfg.port = t.port;
   cfg.connect_timeout = seconds_flag("--connect-timeout", o.connect_timeout_s);
   cfg.hang_timeout = seconds_flag("--hang-timeout", o.hang_timeout_s);
   cfg.exec_ready = seconds_flag("--exec-timeout", o.exec_timeout_s);
   cfg.handshake = o.hs.make(io.in);
   cfg.no_handshake = o.no_handshake;
   cfg.seed = o.seed;
   if (o.hs.node_id.empty())
      cfg.handshake.node_id = fuzz::campaign_node_id(cfg.seed);
   cfg.max_runs = o.runs;
   if (o.duration_s != 0 && (!std::isfinite(o.duration_s) || o.duration_s < 0))
      throw usage_error("--duration", "expected seconds > 0");
   cfg.duration_s = o.duration_s;
   if (!std::isfinite(o.rate) || o.rate < 0)
      throw usage_error("--rate", "expected runs per second >= 0");
   cfg.rate = o.rate;
   cfg.max_findings = o.max_findings;
   if (!exec.empty())
      cfg.exec = exec;
   cfg.findings_dir = o.findings;
   cfg.minimise = !o.no_minimise;
   cfg.minimise_budget = o.minimise_runs;
   cfg.verbose = o.verbose;
   cfg.progress = !o.no_progress && &io.err == &std::cerr && ::isatty(STDERR_FILENO);

   std::set<uint32_t> types;
   for (const auto& name : o.types) {
      const auto* w = core::find_wire_type(name);
      if (!w || !w->is_message())
         throw usage_error("--type", "\"" + name + "\" is not a net message name");
      types.insert(static_cast<uint32_t>(w->message_index));
   }

   std::vector<std::string> sources;
   if (!o.no_builtin) {
      cfg.seeds = fuzz::builtin_seeds(build_handshake(cfg.handshake, 0));
      sources.push_back("builtin");
   }
   for (const auto& dir : o.corpus) {
      auto s = fuzz::corpus_seeds(dir);
      if (!s)
         return fail(io.err, "--corpus: " + s.error());
      cfg.seeds.insert(cfg.seeds.end(), s->begin(), s->end());
      sources.push_back("corpus " + dir);
   }
   for (const auto& file : o.pcaps) {
      auto s = pcap_seeds(file);
      if (!s)
         return fail(io.err, "--pcap: " + s.error());
      cfg.seeds.insert(cfg.seeds.end(), s->begin(), s->end());
      sources.push_back("pcap " + file);
   }
   if (!types.empty())
      std::erase_if(cfg.seeds, [&](const fuzz::seed& s) { return !types.count(s.which); });
   if (cfg.seeds.empty())
      throw usage_error("--no-builtin-seeds", "no seeds left to mutate");
   for (const auto& s : sources)
      cfg.seed_sources += (cfg.seed_sources.empty() ? "" : ", ") + s;
   return fuzz::run_campaign(cfg, io.out, io.err);
}

} // namespace

command add_fuzz_command(CLI::App& app, const streams& io) {
   auto o = std::make_shared<fuzz_options>();
   auto* cmd = app.add_subcommand("fuzz", "Fuzz a live peer with structure-aware mutations of real messages");
   cmd->add_option("target", o->target, "The peer's p2p endpoint")->required()->type_name("HOST:PORT");

   const std::string run = "Campaign";
   cmd->add_option("--seed", o->seed, "Random seed: the same seed sends the same cases (default 1)")
      ->type_name("N")
      ->group(run);
   cmd->add_option("--runs", o->runs, "Stop after N runs")->type_name("N")->check(CLI::PositiveNumber)->group(run);
   cmd->add_option("--duration", o->duration_s, "Stop after SEC seconds")->type_name("SEC")->group(run);
   cmd->add_option("--rate", o->rate, "At most R runs per second (default: as fast as the peer answers)")
      ->type_name("R")
      ->group(run);
   cmd->add_option("--max-findings", o->max_findings, "Stop after N distinct findings")
      ->type_name("N")
      ->check(CLI::PositiveNumber)
      ->group(run);
   cmd->add_option("--hang-timeout", o->hang_timeout_s, "A ping unanswered this long is a hang (default 5)")
      ->type_name("SEC")
      ->group(run);
   cmd->add_option("--connect-timeout", o->connect_timeout_s, "Give up connecting after SEC seconds (default 5)")
      ->type_name("SEC")
      ->group(run);
   cmd->add_flag("--verbose,-v", o->verbose, "A JSON line for every run")->group(run);
   cmd->add_flag("--no-progress", o->no_progress, "No progress line on a terminal")->group(run);

   const std::string seeds = "Seeds";
   cmd->add_option("--corpus", o->corpus, "Also mutate the frames of the files in DIR (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false)
      ->group(seeds);
   cmd->add_option("--pcap", o->pcaps, "Also mutate the frames of a pcap/pcapng capture (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false)
      ->group(seeds);
   cmd->add_flag("--no-builtin-seeds", o->no_builtin, "Do not use the built-in seeds")->group(seeds);
   cmd->add_option("--type,-t", o->types, "Only seeds of this message type (repeatable)")
      ->type_name("T")
      ->allow_extra_args(false)
      ->group(seeds);

   const std::string found = "Findings";
   cmd->add_option("--findings", o->findings, "Write reproducers here (default ./msgcraft-findings)")
      ->type_name("DIR")
      ->group(found);
   cmd->add_option("--exec", o->exec,
                   "Start the target with /bin/sh -c CMD, keep its output, restart it after a crash; with "
                   "port 0 in HOST:PORT, {port} in CMD becomes a free port")
      ->type_name("CMD")
      ->group(found);
   cmd->add_option("--exec-timeout", o->exec_timeout_s, "Wait this long for --exec's port to accept (default 30)")
      ->type_name("SEC")
      ->group(found);
   cmd->add_flag("--no-minimise", o->no_minimise, "Save findings as found, without replaying them")->group(found);
   cmd->add_option("--minimise-runs", o->minimise_runs, "Replays allowed to minimise one finding (default 32)")
      ->type_name("N")
      ->group(found);

   o->hs.add(*cmd);
   cmd->add_flag("--no-handshake", o->no_handshake, "Fuzz the handshake itself: no handshake of the session's own")
      ->group("Handshake");
   return {cmd, [o, &io] { return run_fuzz(*o, io); }};
}

} // namespace msgcraft
