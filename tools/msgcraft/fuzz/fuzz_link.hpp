#pragma once
/// One fuzzing connection: a peer_session with the answer checks, the frames sent on it, and
/// the ping that tells whether the peer still answers.
#include "fuzz/answer_checks.hpp"
#include "fuzz/fuzz_case.hpp"
#include "peer_session.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace msgcraft::fuzz {

enum class wait_status : uint8_t {
   pong,          ///< the ping was answered
   closed,        ///< the peer closed the connection (`reason` says how: "go_away fatal_other", ...)
   timeout,       ///< no answer before the deadline
   contradiction, ///< an answer broke the protocol (`found`)
};

struct wait_result {
   wait_status status = wait_status::timeout;
   std::string reason;
   std::optional<contradiction> found;
};

class fuzz_link {
public:
   using clock = peer_session::clock;

   /// Connects; error: one line.
   static core::result<fuzz_link> open(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);

   /// Sends the session's handshake (built now) and remembers it.
   core::result<bool> send_handshake(const handshake_options& opts);
   /// Sends a frame and records it; false once the connection failed.
   bool send_frame(const fuzz_frame& f);
   /// Sends a ping with a fresh transmit time; false once the connection failed.
   bool ping();
   /// Reads until the last ping is answered, the peer closes, an answer contradicts the
   /// protocol, or `deadline`.
   wait_result wait_pong(clock::time_point deadline);
   /// Reads until the peer closes, an answer contradicts the protocol, or `deadline`.
   wait_result settle(clock::time_point deadline);
   void close() { session_.close(); }

   const std::optional<core::handshake_message>& handshake() const { return handshake_; }
   const std::vector<fuzz_frame>& history() const { return history_; }

   /// Frames kept for replay: the last ones sent on this connection.
   static constexpr std::size_t max_history_frames = 256;

private:
   explicit fuzz_link(peer_session s) : session_(std::move(s)) {}
   wait_result read_until(clock::time_point deadline, bool want_pong);

   peer_session session_;
   answer_checker checker_;
   std::optional<core::handshake_message> handshake_;
   std::vector<fuzz_frame> history_;
   int64_t last_xmt_ = 0;
   std::string go_away_; ///< reason of a go_away received, for the close that follows
};

} // namespace msgcraft::fuzz
