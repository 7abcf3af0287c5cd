#pragma once
/// A fuzzing campaign against one live peer: the loop behind `msgcraft fuzz`. Each run sends
/// one case, then checks the peer with a time_message ping; closes are the peer's normal answer
/// to bad input, findings are hangs, crashes and answers that contradict the protocol. Findings
/// are replayed on fresh connections (after restarting an --exec target) to minimise them, then
/// saved as reproducers that `msgcraft send -f` replays.
#include "fuzz/seeds.hpp"
#include "peer_session.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace msgcraft::fuzz {

struct campaign_config {
   std::string target; ///< "HOST:PORT" as given
   std::string host;
   uint16_t port = 0;
   std::chrono::milliseconds connect_timeout{5000};
   handshake_options handshake;
   bool no_handshake = false; ///< fuzz the handshake itself: no handshake of the session's own

   uint64_t seed = 1;
   uint64_t max_runs = 0;  ///< 0: unbounded
   double duration_s = 0;  ///< 0: unbounded
   double rate = 0;        ///< runs per second; 0: as fast as the peer answers
   std::chrono::milliseconds hang_timeout{5000};
   unsigned max_findings = 0; ///< stop after this many distinct findings; 0: never

   std::optional<std::string> exec;
   std::chrono::milliseconds exec_ready{30000};
   std::filesystem::path findings_dir = "msgcraft-findings";
   bool minimise = true;
   unsigned minimise_budget = 32; ///< replays per finding

   bool verbose = false;  ///< a JSON line per run
   bool progress = false; ///< a progress line on stderr (a terminal)
   std::vector<msgcraft::fuzz::seed> seeds;
   std::string seed_sources; ///< "builtin", "corpus DIR", ...
};

/// Runs the campaign; JSON lines on `out`, the progress line and the summary table on `err`.
/// Returns 0 when nothing was found, 1 when findings were saved, 3 when the target cannot be
/// reached (or started) at all.
int run_campaign(const campaign_config& cfg, std::ostream& out, std::ostream& err);

/// The part of a sanitizer or runtime report that names the bug without addresses:
/// "AddressSanitizer: heap-buffer-overflow p2pnode.cpp:12 in f"; empty when there is none.
std::string sanitizer_summary(std::string_view log);

} // namespace msgcraft::fuzz
