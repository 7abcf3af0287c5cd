#pragma once
/// Runs the probe's checks (probe/catalogue.hpp) against a live peer: each check's scenario on
/// its own connections, the observation judged against the chosen flavour, then a new
/// connection to see that the peer survived it.
#include "probe/catalogue.hpp"

#include "peer_session.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace msgcraft::probe {

struct probe_config {
   std::string target; ///< "HOST:PORT" as given
   std::string host;
   uint16_t port = 0;
   handshake_options handshake; ///< the valid handshake every check varies
   std::optional<flavour> expect; ///< nullopt: from the peer's advertised version
   std::vector<const check_def*> checks;
   std::chrono::milliseconds timeout{5000};     ///< longest wait for an answer
   std::chrono::milliseconds settle{300};       ///< quiet time after the answer before a check ends
   std::chrono::milliseconds connect_timeout{5000};
};

struct check_result {
   const check_def* def = nullptr;
   observation seen;
   bool ok = false;
   bool skipped = false;
   bool survived = true; ///< the peer answered a new connection after the check
};

struct probe_summary {
   flavour expect = flavour::leap5;
   std::optional<core::handshake_message> peer; ///< the peer's handshake to a valid one
   std::vector<check_result> results;
   bool unreachable = false; ///< no connection could be made at all
   std::string error;
};

/// Runs cfg.checks in order; `on_start` is called once the flavour is known, `on_result` after
/// each check. Stops after a check the peer did not survive.
probe_summary run_probe(const probe_config& cfg, const std::function<void(flavour, const probe_summary&)>& on_start,
                        const std::function<void(const check_result&)>& on_result);

} // namespace msgcraft::probe
