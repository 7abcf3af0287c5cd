#include "fuzz/campaign.hpp"

#include "fuzz/exec_target.hpp"
#include "fuzz/fuzz_case.hpp"
#include "fuzz/fuzz_link.hpp"
#include "fuzz/replay.hpp"
#include "fuzz/report.hpp"

#include <fmt/format.h>

#include <csignal>
#include <deque>
#include <fstream>
#include <map>
#include <ostream>
#include <regex>
#include <set>
#include <thread>

namespace msgcraft::fuzz {

namespace {

using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

/// Ctrl-C ends the campaign after the current run (the summary is still printed).
volatile std::sig_atomic_t interrupted = 0;
extern "C" void on_interrupt(int) { interrupted = 1; }

class interrupt_guard {
public:
   interrupt_guard() {
      interrupted = 0;
      struct sigaction sa{};
      sa.sa_handler = on_interrupt;
      ::sigemptyset(&sa.sa_mask);
      ::sigaction(SIGINT, &sa, &old_);
   }
   ~interrupt_guard() { ::sigaction(SIGINT, &old_, nullptr); }

private:
   struct sigaction old_{};
};

/// A lenient peer may keep a connection whose stream it misread; how long to give it to react
/// to an undecodable case before checking it on a new connection.
constexpr milliseconds undecodable_settle{1000};
/// New connections a peer may refuse in a row (a listen rate cap, a per-host limit) before a
/// liveness check gives up.
constexpr int refused_retries = 20;
constexpr milliseconds refused_backoff{50};
/// Earlier runs whose cases a finding's replay tries when this run's case does not reproduce it.
constexpr std::size_t recent_cases = 4;

found make_found(finding_kind kind, std::string key, std::string detail) {
   found f;
   f.kind = kind;
   f.key = std::move(key);
   f.detail = std::move(detail);
   return f;
}

struct outcome {
   bool alive = true;
   std::string closed; ///< the close's reason when the peer closed
   std::optional<found> finding;
};

class campaign {
public:
   campaign(const campaign_config& cfg, std::ostream& out, std::ostream& err)
      : cfg_(cfg), report_(out, err, cfg) {}

   int run() {
      interrupt_guard guard;
      if (cfg_.exec) {
         target_.emplace(*cfg_.exec, cfg_.host, cfg_.port, cfg_.findings_dir / "target-logs");
         if (auto r = target_->start(cfg_.exec_ready); !r)
            return report_.fatal(3, "--exec: " + r.error());
      } else if (auto l = connect(); !l) {
         return report_.fatal(3, fmt::format("cannot connect to {}: {}", cfg_.target, l.error()));
      }
      report_.start(target_ ? target_->log_path().string() : std::string());
      const auto began = steady::now();
      const auto end = cfg_.duration_s > 0 ? began + std::chrono::duration_cast<steady::duration>(
                                                         std::chrono::duration<double>(cfg_.duration_s))
                                           : steady::time_point::max();
      case_options opts;
      opts.fuzz_handshake_only = cfg_.no_handshake;
      opts.allow_no_handshake = !cfg_.no_handshake;
      for (uint64_t run = 0; !stop_requested(run, end); ++run) {
         if (cfg_.rate > 0)
            std::this_thread::sleep_until(began + std::chrono::duration_cast<steady::duration>(
                                                     std::chrono::duration<double>(double(run) / cfg_.rate)));
         auto r = rng::for_run(cfg_.seed, run);
         const fuzz_case c = make_case(cfg_.seeds, r, opts);
         remember(c);
         auto o = execute(replay_of(c), false);
         report_.ran(run, c, o.closed, o.finding.has_value());
         if (o.finding)
            on_finding(run, c, std::move(*o.finding));
         if (fatal_)
            break;
         report_.tick(run + 1, found_.size());
         runs_done_ = run + 1;
      }
      link_.reset();
      if (target_)
         check_shutdown(runs_done_);
      return report_.finish(fatal_ ? 3 : found_.empty() ? 0 : 1);
   }

private:
   bool stop_requested(uint64_t run, steady::time_point end) const {
      if (interrupted || fatal_)
         return true;
      if (cfg_.max_runs != 0 && run >= cfg_.max_runs)
         return true;
      if (cfg_.max_findings != 0 && found_.size() >= cfg_.max_findings)
         return true;
      return steady::now() >= end;
   }

   core::result<bool> connect() {
      auto l = fuzz_link::open(cfg_.host, cfg_.port, cfg_.connect_timeout);
      if (!l)
         return core::unexpected{l.error()};
      link_.emplace(std::move(*l));
      return true;
   }

   /// A fresh connection with the session's handshake (unless --no-handshake or `handshake`
   /// false); retries while the peer refuses, reports a crash when it is gone.
   std::optional<found> open_fresh(bool handshake) {
      link_.reset();
      std::string last;
      for (int attempt = 0; attempt <= refused_retries; ++attempt) {
         if (auto f = exited())
            return f;
         if (auto r = connect(); r) {
            if (handshake && !cfg_.no_handshake) {
               if (auto h = link_->send_handshake(cfg_.handshake); !h) {
                  last = h.error();
                  link_.reset();
                  continue;
               }
               last_handshake_ = link_->handshake();
            }
            return std::nullopt;
         } else {
            last = r.error();
         }
         std::this_thread::sleep_for(refused_backoff * (attempt < 5 ? 1 : 4));
      }
      if (target_) {
         if (auto e = target_->wait_exit(milliseconds(2000)))
            return crash_of(*e);
         return make_found(finding_kind::hang, "hang/refused",
                      fmt::format("the target runs but refuses connections: {}", last));
      }
      return make_found(finding_kind::crash, "crash/unreachable",
                   fmt::format("the peer stopped accepting connections ({}); without --exec a crash and a shutdown "
                               "look the same",
                               last));
   }

   std::optional<found> exited() {
      if (!target_)
         return std::nullopt;
      if (auto e = target_->poll()) {
         if (e->crash())
            return crash_of(*e);
         // A clean exit is not a crash; start it again and go on.
         report_.note(fmt::format("the target exited ({}); restarting it", e->text()));
         restart();
      }
      return std::nullopt;
   }

   found crash_of(const exit_info& e) {
      const auto log = target_->log_tail();
      const auto summary = sanitizer_summary(log);
      auto f = make_found(finding_kind::crash, "crash/" + e.text() + (summary.empty() ? "" : "/" + summary),
                          e.text() + (summary.empty() ? "" : ": " + summary));
      f.log = log;
      f.log_path = target_->log_path().string();
      return f;
   }

   void restart() {
      if (!target_)
         return;
      target_->stop();
      if (auto r = target_->start(cfg_.exec_ready); !r) {
         report_.note("--exec: " + r.error());
         fatal_ = true;
      }
      report_.restarted();
   }

   /// Is the peer alive after a case that ended the connection (or left it unusable)? A new
   /// connection must answer a ping. One the peer closes at once (a per-host connection limit
   /// still counting the old one, a dying process) is tried again.
   std::optional<found> check_fresh() {
      for (int attempt = 0; attempt <= refused_retries; ++attempt) {
         if (attempt > 0)
            std::this_thread::sleep_for(refused_backoff);
         if (auto f = open_fresh(true))
            return f;
         if (!link_->ping()) {
            link_.reset();
            continue;
         }
         const auto w = link_->wait_pong(steady::now() + cfg_.hang_timeout);
         switch (w.status) {
         case wait_status::pong: return std::nullopt;
         case wait_status::contradiction: link_.reset(); return contradiction_of(*w.found);
         case wait_status::closed:
            link_.reset();
            if (auto f = exited())
               return f;
            continue;
         case wait_status::timeout:
            if (auto f = exited())
               return f;
            if (target_)
               if (auto e = target_->wait_exit(milliseconds(200)))
                  return crash_of(*e);
            return make_found(finding_kind::hang, "hang/peer",
                         fmt::format("no answer to a ping on a new connection within {} ms", cfg_.hang_timeout.count()));
         }
      }
      if (target_)
         if (auto e = target_->wait_exit(milliseconds(2000)))
            return crash_of(*e);
      report_.note("the peer closed every new connection before answering a ping; going on");
      return std::nullopt;
   }

   found contradiction_of(const contradiction& c) {
      return make_found(finding_kind::contradiction, "contradiction/" + c.check, c.check + ": " + c.detail);
   }

   /// Sends `r` (on the current connection unless `fresh` or it cannot carry it) and checks
   /// the peer.
   outcome execute(const replay& r, bool fresh) {
      outcome o;
      const bool reuse = !fresh && r.handshake && link_ && link_->handshake().has_value();
      if (!reuse)
         if (auto f = open_fresh(r.handshake)) {
            o.finding = std::move(f);
            return o;
         }
      bool sent = true;
      for (const auto& f : r.frames)
         if (!(sent = link_->send_frame(f)))
            break;
      const bool in_step = std::all_of(r.frames.begin(), r.frames.end(), [](const fuzz_frame& f) {
         return !f.declared_length && !f.payload.empty();
      });
      const bool decodable = std::all_of(r.frames.begin(), r.frames.end(), [](const fuzz_frame& f) { return f.decodable(); });

      wait_result w;
      if (in_step && sent && link_->ping()) {
         const auto wait = decodable ? cfg_.hang_timeout : std::min(cfg_.hang_timeout, undecodable_settle);
         w = link_->wait_pong(steady::now() + wait);
      } else {
         // The stream is out of step (or the peer is gone): see how it reacts, then start over.
         w = link_->settle(steady::now() + milliseconds(sent ? 50 : 500));
         if (w.status == wait_status::timeout || w.status == wait_status::pong) {
            w.status = wait_status::closed;
            w.reason = "closed by msgcraft (stream out of step)";
         }
      }
      switch (w.status) {
      case wait_status::pong: return o;
      case wait_status::contradiction:
         link_.reset();
         o.finding = contradiction_of(*w.found);
         return o;
      case wait_status::closed:
         o.closed = w.reason;
         o.finding = check_fresh();
         return o;
      case wait_status::timeout: {
         if (auto f = exited()) {
            o.finding = std::move(f);
            return o;
         }
         if (!decodable) { // a misread stream, not a hang: check the peer on a new connection
            o.closed = "no answer after an undecodable frame";
            o.finding = check_fresh();
            return o;
         }
         auto f = check_fresh();
         if (!f)
            f = make_found(finding_kind::hang, "hang/connection",
                      fmt::format("the connection stopped answering pings for {} ms (new connections are answered)",
                                  cfg_.hang_timeout.count()));
         o.finding = std::move(f);
         return o;
      }
      }
      return o;
   }

   /// The --exec target stops on SIGTERM; a sanitizer report or a crash on the way out, or a
   /// stop that needs SIGKILL, is a finding too (with no case to replay).
   void check_shutdown(uint64_t runs) {
      const auto e = target_->stop();
      if (!e)
         return;
      const bool terminated = e->signal == SIGTERM || e->code == 0 || e->code == 128 + SIGTERM;
      if (terminated)
         return;
      auto f = e->signal == SIGKILL ? make_found(finding_kind::hang, "hang/shutdown", "the target did not stop on SIGTERM")
                                    : crash_of(*e);
      if (e->signal != SIGKILL) {
         f.key = "crash/shutdown/" + f.key;
         f.detail = "when stopped with SIGTERM: " + f.detail;
      }
      finding_record rec;
      rec.id = fmt::format("{}-{}", to_string(f.kind), ++per_kind_[f.kind]);
      rec.run = runs;
      rec.what = std::move(f);
      report_.finding(rec, last_handshake_ ? *last_handshake_ : build_handshake(cfg_.handshake, 0));
      found_.insert(rec.what.key);
   }

   /// Cases of the last runs: a crash may show only at the run after the one that caused it.
   void remember(const fuzz_case& c) {
      recent_.push_back(c);
      if (recent_.size() > recent_cases)
         recent_.pop_front();
   }

   /// After a run: does `r` still produce the finding `key`, from a fresh connection?
   bool reproduces(const replay& r, const std::string& key) {
      if (target_ && !target_->running())
         restart();
      if (fatal_)
         return false;
      auto o = execute(r, true);
      const bool same = o.finding && o.finding->key == key;
      if (o.finding && target_ && o.finding->kind != finding_kind::contradiction)
         restart(); // a crashed or hung target is started again for the next replay
      return same;
   }

   void on_finding(uint64_t run, const fuzz_case& c, found f) {
      const replay history = link_ && !link_->history().empty()
                                ? replay{c.handshake, link_->history()}
                                : replay_of(c);
      const auto hs = last_handshake_ ? *last_handshake_ : build_handshake(cfg_.handshake, 0);
      if (found_.count(f.key)) {
         report_.duplicate();
         recover(f);
         return;
      }
      recover(f);
      finding_record rec;
      rec.id = fmt::format("{}-{}", to_string(f.kind), ++per_kind_[f.kind]);
      rec.run = run;
      rec.what = f;
      rec.original_frames = c.frames.size();
      rec.best = replay_of(c);
      const bool can_replay = target_ || f.kind == finding_kind::contradiction;
      if (cfg_.minimise && can_replay) {
         unsigned budget = f.kind == finding_kind::hang ? std::min(cfg_.minimise_budget, 8u) : cfg_.minimise_budget;
         rec.reproduced = reproduces(rec.best, f.key);
         ++rec.replays;
         // The runs before: newest first (the last one is this run's case).
         for (std::size_t back = 2; !rec.reproduced && back <= recent_.size() && rec.replays < budget; ++back) {
            const auto& earlier = recent_[recent_.size() - back];
            rec.reproduced = reproduces(replay_of(earlier), f.key);
            ++rec.replays;
            if (rec.reproduced) {
               rec.best = replay_of(earlier);
               rec.original_frames = earlier.frames.size();
               rec.run = run + 1 - back;
            }
         }
         if (!rec.reproduced && history.frames.size() > c.frames.size() && rec.replays < budget) {
            rec.reproduced = reproduces(history, f.key);
            ++rec.replays;
            if (rec.reproduced)
               rec.best = history;
         }
         if (rec.reproduced && budget > rec.replays) {
            auto m = minimise(rec.best, [&](const replay& r) { return reproduces(r, f.key); }, budget - rec.replays);
            rec.replays += m.attempts;
            rec.minimised = m.reduced;
            rec.best = std::move(m.shortest);
         }
      }
      report_.finding(rec, hs);
      found_.insert(f.key);
      link_.reset();
   }

   /// Brings a crashed or hung --exec target back for the next run.
   void recover(const found& f) {
      if (target_ && f.kind != finding_kind::contradiction)
         restart();
      link_.reset();
   }

   const campaign_config& cfg_;
   reporter report_;
   std::optional<exec_target> target_;
   std::optional<fuzz_link> link_;
   std::optional<core::handshake_message> last_handshake_; ///< the session's latest, for reproducers
   std::deque<fuzz_case> recent_;
   std::set<std::string> found_;
   std::map<finding_kind, unsigned> per_kind_;
   uint64_t runs_done_ = 0;
   bool fatal_ = false;
};

} // namespace

std::string sanitizer_summary(std::string_view log) {
   static const std::regex summary_re(R"(SUMMARY: ([A-Za-z]+Sanitizer: [^\n]*))");
   static const std::regex runtime_re(R"(([^\s:]+:\d+:\d+: runtime error: [^\n]*))");
   static const std::regex address_re(R"(0x[0-9a-fA-F]+)");
   std::match_results<std::string_view::const_iterator> m;
   if (std::regex_search(log.begin(), log.end(), m, summary_re) ||
       std::regex_search(log.begin(), log.end(), m, runtime_re))
      return std::regex_replace(m[1].str(), address_re, "0x…");
   return {};
}

int run_campaign(const campaign_config& cfg, std::ostream& out, std::ostream& err) {
   return campaign(cfg, out, err).run();
}

} // namespace msgcraft::fuzz
