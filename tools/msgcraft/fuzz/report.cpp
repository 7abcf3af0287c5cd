#include "fuzz/report.hpp"

#include "fuzz/campaign.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <fstream>
#include <ostream>

namespace msgcraft::fuzz {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;
using steady = std::chrono::steady_clock;

void str(writer& w, std::string_view key, std::string_view value) {
   w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
   w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void num(writer& w, std::string_view key, uint64_t value) {
   w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
   w.Uint64(value);
}
void flag(writer& w, std::string_view key, bool value) {
   w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
   w.Bool(value);
}
void strings(writer& w, std::string_view key, const std::vector<std::string>& values) {
   w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
   w.StartArray();
   for (const auto& v : values)
      w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
   w.EndArray();
}

double seconds_since(steady::time_point t) { return std::chrono::duration<double>(steady::now() - t).count(); }

std::vector<std::string> frame_notes(const replay& r) {
   std::vector<std::string> out;
   for (std::size_t i = 0; i < r.frames.size(); ++i) {
      const auto& f = r.frames[i];
      std::string muts;
      for (const auto& m : f.mutations)
         muts += (muts.empty() ? "" : "; ") + m;
      out.push_back(fmt::format("frame {}: {} ({})", i + 1, muts.empty() ? "unmutated seed" : muts,
                                f.decodable() ? "decodable" : "not decodable"));
   }
   return out;
}

} // namespace

std::string_view to_string(finding_kind k) {
   switch (k) {
   case finding_kind::hang: return "hang";
   case finding_kind::crash: return "crash";
   case finding_kind::contradiction: return "contradiction";
   }
   return "finding";
}

reporter::reporter(std::ostream& out, std::ostream& err, const campaign_config& cfg)
   : out_(out), err_(err), cfg_(cfg), began_(steady::now()), last_tick_(began_) {}

void reporter::json(const std::string& line) {
   clear_progress();
   out_ << line << '\n' << std::flush;
}

void reporter::clear_progress() {
   if (progress_shown_) {
      err_ << "\r\033[K" << std::flush;
      progress_shown_ = false;
   }
}

void reporter::start(const std::string& target_log) {
   began_ = steady::now();
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   str(w, "event", "start");
   str(w, "target", cfg_.target);
   num(w, "seed", cfg_.seed);
   num(w, "seeds", cfg_.seeds.size());
   str(w, "seed_sources", cfg_.seed_sources);
   flag(w, "handshake", !cfg_.no_handshake);
   if (cfg_.exec) {
      str(w, "exec", *cfg_.exec);
      str(w, "target_log", target_log);
   }
   str(w, "findings_dir", cfg_.findings_dir.string());
   w.EndObject();
   json(sb.GetString());
}

void reporter::ran(uint64_t run, const fuzz_case& c, const std::string& closed, bool finding) {
   ++runs_;
   if (c.decodable())
      ++decodable_runs_;
   if (!closed.empty())
      ++closes_[closed];
   for (const auto& f : c.frames)
      for (const auto& m : f.mutations)
         ++mutations_[m.substr(0, m.find(' '))];
   for (const auto& s : c.sequence)
      (void)s, ++mutations_["sequence"];
   if (!cfg_.verbose)
      return;
   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   str(w, "event", "run");
   num(w, "run", run);
   num(w, "frames", c.frames.size());
   flag(w, "handshake", c.handshake);
   flag(w, "decodable", c.decodable());
   strings(w, "mutations", c.mutation_list());
   str(w, "outcome", finding ? "finding" : closed.empty() ? "answered" : "closed");
   if (!closed.empty())
      str(w, "reason", closed);
   w.EndObject();
   json(sb.GetString());
}

void reporter::tick(uint64_t runs, std::size_t findings) {
   if (!cfg_.progress)
      return;
   const auto now = steady::now();
   if (now - last_tick_ < std::chrono::milliseconds(250))
      return;
   last_tick_ = now;
   const double secs = seconds_since(began_);
   uint64_t closes = 0;
   for (const auto& [_, n] : closes_)
      closes += n;
   err_ << fmt::format("\r\033[Kmsgcraft fuzz: {} runs  {:.0f} runs/s  {} closes  {} findings  {:.0f} s", runs,
                       secs > 0 ? double(runs) / secs : 0.0, closes, findings, secs)
        << std::flush;
   progress_shown_ = true;
}

void reporter::note(const std::string& what) {
   clear_progress();
   err_ << "msgcraft fuzz: " << what << '\n' << std::flush;
}

int reporter::fatal(int code, const std::string& what) {
   clear_progress();
   err_ << "msgcraft fuzz: " << what << '\n' << std::flush;
   return code;
}

void reporter::finding(const finding_record& f, const core::handshake_message& hs) {
   findings_.push_back(f);
   std::error_code ec;
   std::filesystem::create_directories(cfg_.findings_dir, ec);
   const auto file = cfg_.findings_dir / (f.id + ".txt");
   reproducer_header h;
   h.lines.push_back(fmt::format("msgcraft fuzz finding {}: {}", f.id, f.what.detail));
   h.lines.push_back(fmt::format("target {}, --seed {}, run {}", cfg_.target, cfg_.seed, f.run));
   if (!cfg_.minimise)
      h.lines.push_back("not replayed (--no-minimise)");
   else if (f.replays == 0)
      h.lines.push_back("not replayed: without --exec the peer cannot be brought back");
   else
      h.lines.push_back(fmt::format("replayed {} times; {}; {} of {} frames kept", f.replays,
                                    f.reproduced ? "reproduced" : "NOT reproduced on a fresh connection",
                                    f.best.frames.size(), f.original_frames));
   for (auto& n : frame_notes(f.best))
      h.lines.push_back(std::move(n));
   h.lines.push_back(fmt::format("replay: msgcraft send -f {} {}", file.filename().string(), cfg_.target));
   std::string written;
   {
      std::ofstream o(file, std::ios::binary | std::ios::trunc);
      o << reproducer_text(h, f.best, hs);
      if (o.flush())
         written = file.string();
      else
         note(fmt::format("cannot write {}", file.string()));
   }
   std::string log_file;
   if (!f.what.log.empty()) {
      const auto p = cfg_.findings_dir / (f.id + ".log");
      std::ofstream o(p, std::ios::binary | std::ios::trunc);
      o << f.what.log;
      if (o.flush())
         log_file = p.string();
   }
   std::vector<std::string> muts;
   for (const auto& n : frame_notes(f.best))
      muts.push_back(n);

   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   str(w, "event", "finding");
   str(w, "id", f.id);
   str(w, "kind", to_string(f.what.kind));
   str(w, "key", f.what.key);
   str(w, "detail", f.what.detail);
   num(w, "run", f.run);
   str(w, "file", written);
   if (!log_file.empty())
      str(w, "log", log_file);
   num(w, "frames", f.best.frames.size());
   flag(w, "handshake", f.best.handshake);
   flag(w, "decodable", std::all_of(f.best.frames.begin(), f.best.frames.end(),
                                    [](const fuzz_frame& fr) { return fr.decodable(); }));
   strings(w, "mutations", muts);
   flag(w, "reproduced", f.reproduced);
   flag(w, "minimised", f.minimised);
   num(w, "replays", f.replays);
   w.EndObject();
   json(sb.GetString());
}

int reporter::finish(int code) {
   clear_progress();
   const double secs = seconds_since(began_);
   const double rate = secs > 0 ? double(runs_) / secs : 0;
   uint64_t closes = 0;
   for (const auto& [_, n] : closes_)
      closes += n;

   rapidjson::StringBuffer sb;
   writer w(sb);
   w.StartObject();
   str(w, "event", "summary");
   num(w, "runs", runs_);
   w.Key("elapsed_s");
   w.Double(secs);
   w.Key("runs_per_s");
   w.Double(rate);
   num(w, "findings", findings_.size());
   num(w, "duplicates", duplicates_);
   num(w, "decodable_runs", decodable_runs_);
   num(w, "restarts", restarts_);
   w.Key("closes");
   w.StartObject();
   for (const auto& [why, n] : closes_)
      num(w, why, n);
   w.EndObject();
   w.Key("mutations");
   w.StartObject();
   for (const auto& [m, n] : mutations_)
      num(w, m, n);
   w.EndObject();
   num(w, "exit", static_cast<uint64_t>(code));
   w.EndObject();
   json(sb.GetString());

   err_ << fmt::format("msgcraft fuzz: {} runs in {:.1f} s ({:.0f} runs/s), seed {}, target {}\n", runs_, secs, rate,
                       cfg_.seed, cfg_.target);
   err_ << fmt::format("  {:<28} {:>8}\n", "findings", findings_.size());
   for (const auto& f : findings_)
      err_ << fmt::format("    {:<26} {:<13} {} ({} frame{})\n", f.id, to_string(f.what.kind), f.what.detail,
                          f.best.frames.size(), f.best.frames.size() == 1 ? "" : "s");
   if (duplicates_)
      err_ << fmt::format("  {:<28} {:>8}\n", "duplicate findings", duplicates_);
   err_ << fmt::format("  {:<28} {:>8}\n", "runs decodable", decodable_runs_);
   err_ << fmt::format("  {:<28} {:>8}\n", "closes by the peer", closes);
   for (const auto& [why, n] : closes_)
      err_ << fmt::format("    {:<26} {:>8}\n", why, n);
   if (restarts_)
      err_ << fmt::format("  {:<28} {:>8}\n", "target restarts", restarts_);
   err_ << fmt::format("  {:<28}\n", "mutations");
   for (const auto& [m, n] : mutations_)
      err_ << fmt::format("    {:<26} {:>8}\n", m, n);
   if (!findings_.empty())
      err_ << fmt::format("  reproducers in {}\n", cfg_.findings_dir.string());
   err_ << std::flush;
   return code;
}

} // namespace msgcraft::fuzz
