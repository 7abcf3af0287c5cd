#pragma once
/// The conformance checks of `msgcraft probe`: each has a stable dotted name, what it is about,
/// the PROTOCOL.md section it rests on, and the behaviour expected of Leap 5 and of Spring 1.2
/// as a predicate over what the peer was seen to do (an observation). Socket-free: the runner
/// (probe/runner.hpp) performs the scenario and fills the observation.
#include "net/messages.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace msgcraft::probe {

enum class flavour : uint8_t { leap5, spring };
std::string_view to_string(flavour f);

/// What the peer did in one check (the connection the check is about).
struct observation {
   std::string skipped;                          ///< non-empty: the check could not run, and why
   std::vector<uint32_t> messages;               ///< indices received, in order (not replies to our pings)
   std::optional<core::go_away_reason> go_away;  ///< the first go_away received
   bool closed = false;                          ///< the peer closed the connection
   bool answered = false;                        ///< our last ping was answered
   std::vector<core::handshake_message> handshakes;
   std::vector<core::time_message> replies;      ///< answers to our pings
   std::vector<uint32_t> blocks;                 ///< numbers of the blocks received
   std::vector<uint32_t> wanted;                 ///< the blocks the check asked for
   std::vector<core::sync_request_message> sync_requests;
   std::string note;                             ///< what else the check saw (a second connection, ...)
   bool second_ok = true;                        ///< a check with a second connection: it behaved
};

/// "go_away wrong_chain, closed", "handshake 1212, ping answered", "blocks 3-7, ping answered".
std::string describe(const observation& o);

/// One behaviour: what to expect (printed) and whether an observation shows it.
struct expectation {
   std::string_view text;
   bool (*holds)(const observation& o);
};

/// The scenario the runner performs for a check.
enum class scenario : uint8_t {
   handshake_valid,
   wrong_chain,
   self_connect,
   duplicate,
   p2p_address_empty,
   p2p_address_384,
   p2p_address_385,
   os_empty,
   agent_385,
   lib_above_head,
   bad_token,
   forked,
   eosio21_downgrade,
   version_unknown,
   auth_unsigned,
   auth_bad_signature,
   time_ping,
   time_before_handshake,
   time_zero_xmt,
   time_duplicate,
   frame_zero_length,
   frame_oversize,
   frame_unknown_index,
   frame_length_short,
   frame_length_long,
   frame_split,
   sync_in_range,
   sync_out_of_range,
   sync_cancel,
   request_catch_up,
   request_normal,
   request_too_many_ids,
   request_trx_ids,
   request_stop,
   notice_too_many_ids,
   notice_normal,
   block_below_lib,
   gate_vote,
   gate_block_nack,
   gate_block_notice,
   gate_gossip_bp_peers,
   gate_transaction_notice,
   gate_unsolicited,
};

struct check_def {
   std::string_view name;      ///< "handshake.wrong_chain"
   std::string_view about;     ///< one line
   std::string_view reference; ///< "PROTOCOL.md §7"
   expectation leap5;
   expectation spring;
   scenario run;

   const expectation& expect(flavour f) const { return f == flavour::leap5 ? leap5 : spring; }
};

/// Every check, in the order the probe runs them.
std::span<const check_def> catalogue();

/// The checks `only` selects (all when empty) minus those `skip` selects. A pattern is a name,
/// a prefix ending in '.' or ".*" ("handshake.*"), or "*". Error: a pattern that matches no check.
std::vector<const check_def*> select_checks(const std::vector<std::string>& only, const std::vector<std::string>& skip,
                                            std::string& error);

} // namespace msgcraft::probe
