#pragma once
/// What `msgcraft fuzz` prints and saves: JSON lines on stdout (start, findings, optional runs,
/// summary), a progress line and the summary table on stderr, and one reproducer file per
/// finding (plus the target's log for a crash).
#include "fuzz/fuzz_case.hpp"
#include "fuzz/replay.hpp"

#include "net/messages.hpp"

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace msgcraft::fuzz {

struct campaign_config;

enum class finding_kind : uint8_t { hang, crash, contradiction };
std::string_view to_string(finding_kind k);

/// Something found in one run.
struct found {
   finding_kind kind = finding_kind::crash;
   std::string key;    ///< deduplication key: kind, then what tells the bug apart
   std::string detail; ///< one line
   std::string log;    ///< crash: the end of the target's log
   std::string log_path;
};

struct finding_record {
   std::string id; ///< "crash-1"
   uint64_t run = 0;
   found what;
   std::size_t original_frames = 0;
   replay best;
   bool reproduced = false;
   bool minimised = false;
   unsigned replays = 0;
};

class reporter {
public:
   reporter(std::ostream& out, std::ostream& err, const campaign_config& cfg);

   /// {"event":"start",...}; `target_log` is the --exec target's log ("" without --exec).
   void start(const std::string& target_log);
   /// Counts one run (and prints it with --verbose).
   void ran(uint64_t run, const fuzz_case& c, const std::string& closed, bool finding);
   /// The progress line, at most a few times a second, when enabled.
   void tick(uint64_t runs, std::size_t findings);
   void note(const std::string& what);
   void restarted() { ++restarts_; }
   void duplicate() { ++duplicates_; }
   /// Saves the reproducer (and log) and prints the finding's line.
   void finding(const finding_record& f, const core::handshake_message& hs);
   /// {"event":"summary",...} and the table; returns `code`.
   int finish(int code);
   /// A failure that ends the campaign before it starts: one line on stderr; returns `code`.
   int fatal(int code, const std::string& what);

private:
   void json(const std::string& line);
   void clear_progress();

   std::ostream& out_;
   std::ostream& err_;
   const campaign_config& cfg_;
   std::chrono::steady_clock::time_point began_;
   std::chrono::steady_clock::time_point last_tick_;
   bool progress_shown_ = false;
   uint64_t runs_ = 0;
   uint64_t decodable_runs_ = 0;
   uint64_t restarts_ = 0;
   uint64_t duplicates_ = 0;
   std::map<std::string, uint64_t> closes_;
   std::map<std::string, uint64_t> mutations_;
   std::vector<finding_record> findings_;
   std::vector<std::string> files_;
};

} // namespace msgcraft::fuzz
