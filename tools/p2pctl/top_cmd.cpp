// `top [--once] [--sort COLUMN] [--interval SECONDS]`: a live view of the node and its peers.
// One connection: it subscribes to the watch stream (connection events) and, on the same
// connection, asks status and peers once per interval. On a terminal it redraws full-screen until
// `q`; without one, or with --once, it prints one frame (after two samples, so rates are real).
#include "commands.hpp"
#include "top_view.hpp"

#include <fmt/format.h>

#include <csignal>
#include <ctime>
#include <iostream>
#include <memory>
#include <ostream>

#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace p2pctl {

namespace {

struct top_options {
   bool once = false;
   std::string sort = "ID";
   double interval_s = 1;
};

volatile std::sig_atomic_t resized = 0;
volatile std::sig_atomic_t stop_requested = 0;
extern "C" void on_winch(int) { resized = 1; }
extern "C" void on_stop(int) { stop_requested = 1; }

/// The terminal in top's mode for its lifetime: the alternate screen, no cursor, keys read one
/// at a time without echo, SIGWINCH and SIGINT/SIGTERM caught. Everything restored on exit.
class terminal_scope {
public:
   terminal_scope() {
      resized = 0;
      stop_requested = 0;
      ::tcgetattr(STDIN_FILENO, &saved_);
      termios raw = saved_;
      raw.c_lflag &= ~tcflag_t(ICANON | ECHO);
      raw.c_cc[VMIN] = 0;
      raw.c_cc[VTIME] = 0;
      ::tcsetattr(STDIN_FILENO, TCSANOW, &raw);
      struct sigaction sa {};
      sigemptyset(&sa.sa_mask);
      sa.sa_handler = on_winch;
      ::sigaction(SIGWINCH, &sa, &old_winch_);
      sa.sa_handler = on_stop;
      ::sigaction(SIGINT, &sa, &old_int_);
      ::sigaction(SIGTERM, &sa, &old_term_);
      std::cout << "\x1b[?1049h\x1b[?25l" << std::flush;
   }
   ~terminal_scope() {
      std::cout << "\x1b[?25h\x1b[?1049l" << std::flush;
      ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
      ::sigaction(SIGWINCH, &old_winch_, nullptr);
      ::sigaction(SIGINT, &old_int_, nullptr);
      ::sigaction(SIGTERM, &old_term_, nullptr);
   }
   terminal_scope(const terminal_scope&) = delete;
   terminal_scope& operator=(const terminal_scope&) = delete;

   /// Columns and rows (80x24 when the terminal does not say).
   static std::pair<std::size_t, std::size_t> size() {
      winsize ws{};
      if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row)
         return {ws.ws_col, ws.ws_row};
      return {80, 24};
   }
   /// The key pressed, if any (never waits).
   static std::optional<char> key() {
      pollfd p{STDIN_FILENO, POLLIN, 0};
      char c = 0;
      if (::poll(&p, 1, 0) > 0 && ::read(STDIN_FILENO, &c, 1) == 1)
         return c;
      return std::nullopt;
   }

private:
   termios saved_{};
   struct sigaction old_winch_ {}, old_int_ {}, old_term_ {};
};

std::string clock_text() {
   const std::time_t t = std::time(nullptr);
   std::tm tm{};
   ::localtime_r(&t, &tm);
   return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/// The top session: one control connection subscribed to watch.
class session {
public:
   session(const context& ctx, control_client c, top_view& view) : ctx_(ctx), c_(std::move(c)), view_(view) {}

   /// Asks status and peers and feeds the view; events read meanwhile go to the view too.
   /// exit_ok, or the exit code after printing why.
   int sample(double seconds) {
      for (const char* cmd : {"status", "peers"})
         if (auto s = c_.send_line(request(cmd), ctx_.opt.timeout()); !s)
            return lost(s.error().message);
      rapidjson::Document replies[2];
      for (auto& r : replies)
         for (;;) {
            auto line = c_.read_line(ctx_.opt.timeout());
            if (!line)
               return lost(line.error().message);
            rapidjson::Document d;
            d.Parse(line->data(), line->size());
            if (d.HasParseError() || !d.IsObject())
               return fail(ctx_.io.err, "bad reply from p2pnode at " + ctx_.opt.socket_path() + ": not JSON", exit_unreachable);
            if (member(d, "event")) {
               view_.event(d, clock_text());
               continue;
            }
            const auto* ok = member(d, "ok");
            if (!ok || !ok->IsBool() || !ok->GetBool()) {
               const auto* e = member(d, "error");
               return fail(ctx_.io.err, e && e->IsString() ? e->GetString() : "the node refused", exit_refused);
            }
            r = std::move(d);
            break;
         }
      static const rapidjson::Value empty(rapidjson::kObjectType);
      auto result = [&](const rapidjson::Document& d) -> const rapidjson::Value& {
         const auto* v = member(d, "result");
         return v ? *v : empty;
      };
      view_.sample(result(replies[0]), result(replies[1]), seconds);
      return exit_ok;
   }

   /// Reads events for up to `ms` (returns early on a timeout of the read only).
   int pump_events(std::chrono::milliseconds ms) {
      auto line = c_.read_line(ms, &stop_requested);
      if (!line) {
         const auto k = line.error().what;
         return k == client_error::kind::timeout || k == client_error::kind::interrupted ? exit_ok
                                                                                          : lost(line.error().message);
      }
      rapidjson::Document d;
      d.Parse(line->data(), line->size());
      if (!d.HasParseError() && d.IsObject() && member(d, "event"))
         view_.event(d, clock_text());
      return exit_ok;
   }

private:
   int lost(const std::string& why) {
      return fail(ctx_.io.err, "top on " + ctx_.opt.socket_path() + " ended: " + why, exit_unreachable);
   }
   const context& ctx_;
   control_client c_;
   top_view& view_;
};

using steady = std::chrono::steady_clock;

/// Waits `d`, reading events, then samples again.
int next_sample(session& s, std::chrono::duration<double> d) {
   const auto until = steady::now() + std::chrono::duration_cast<steady::duration>(d);
   while (steady::now() < until && !stop_requested) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - steady::now());
      if (int code = s.pump_events(std::max(std::chrono::milliseconds(1), std::min(left, std::chrono::milliseconds(100))));
          code != exit_ok)
         return code;
   }
   return s.sample(d.count());
}

int interactive(session& s, top_view& view, double interval_s) {
   const terminal_scope term;
   auto draw = [&] {
      const auto [cols, rows] = terminal_scope::size();
      std::string frame = "\x1b[H\x1b[2J";
      for (const auto& l : view.render(cols, rows - 1))
         frame += l + "\r\n";
      frame += "q quit  < > sort column  r reverse";
      std::cout << frame << std::flush;
   };
   draw();
   auto last = steady::now();
   while (!stop_requested) {
      if (auto k = terminal_scope::key()) {
         if (*k == 'q' || *k == 'Q')
            break;
         if (*k == '<' || *k == ',')
            view.sort_column = (view.sort_column + top_column_count - 1) % top_column_count;
         else if (*k == '>' || *k == '.')
            view.sort_column = (view.sort_column + 1) % top_column_count;
         else if (*k == 'r' || *k == 'R')
            view.descending = !view.descending;
         draw();
         continue;
      }
      if (resized) {
         resized = 0;
         draw();
      }
      const std::chrono::duration<double> since = steady::now() - last;
      if (since.count() >= interval_s) {
         last = steady::now();
         if (int code = s.sample(since.count()); code != exit_ok)
            return code;
         draw();
         continue;
      }
      if (int code = s.pump_events(std::chrono::milliseconds(50)); code != exit_ok)
         return code;
   }
   return exit_ok;
}

int top(const context& ctx, const top_options& o) {
   top_view view;
   const auto col = top_column(o.sort);
   if (!col)
      return fail(ctx.io.err, "--sort: no column " + o.sort + " (columns: ID ADDRESS AGENT PROTO LATENCY IN/s OUT/s LASTBLK BLOCKS TRXS VOTES STATE)",
                  exit_usage);
   view.sort_column = *col;
   view.descending = *col >= 4 && *col <= 10; // the numbers: biggest first, as top does
   rapidjson::Document reply;
   int code = exit_ok;
   auto c = request_accepted(ctx, request("watch"), reply, code);
   if (!c)
      return code;
   session s(ctx, std::move(*c), view);
   if (code = s.sample(0); code != exit_ok)
      return code;
   const bool terminal = !o.once && &ctx.io.out == &std::cout && ::isatty(STDOUT_FILENO) && ::isatty(STDIN_FILENO);
   if (terminal)
      return interactive(s, view, o.interval_s);
   stop_requested = 0;
   if (code = next_sample(s, std::chrono::duration<double>(o.interval_s)); code != exit_ok)
      return code;
   for (const auto& l : view.render())
      ctx.io.out << l << '\n';
   ctx.io.out.flush();
   return exit_ok;
}

} // namespace

command add_top_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("top", "a live full-screen view of the node and its peers (q quits)");
   auto o = std::make_shared<top_options>();
   cmd->add_flag("--once", o->once, "print one frame as text and exit (also what happens without a terminal)");
   cmd->add_option("--sort", o->sort, "sort the peers by this column (ID ADDRESS AGENT PROTO LATENCY IN/s OUT/s LASTBLK BLOCKS TRXS VOTES STATE)");
   cmd->add_option("--interval", o->interval_s, "seconds between refreshes, and between --once's two samples (default 1)")
      ->check(CLI::Range(0.1, 3600.0));
   return {cmd, [&ctx, o] { return top(ctx, *o); }};
}

} // namespace p2pctl
