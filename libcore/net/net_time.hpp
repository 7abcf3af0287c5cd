#pragma once
/// The node's one clock: wall-clock nanoseconds since the Unix epoch, what handshakes and
/// time_messages carry. Every part of a running node — the protocol engine's timers, sync
/// deadlines, serving rate caps, reconnect back-off, the chain's slot clock, log timestamps —
/// reads time from one net_clock, and protocol logic takes `now` as an argument, so tests run
/// the whole of it in virtual time (manual_net_clock). system_net_clock::now() is the only
/// place libcore/net and libcore/node read the system's time.
#include <chrono>
#include <cstdint>

namespace core {

using net_time = std::chrono::nanoseconds; ///< since the Unix epoch (system clock)

class net_clock {
public:
   virtual ~net_clock() = default;
   virtual net_time now() const = 0;
};

/// Wall-clock time (std::chrono::system_clock, as nodeos uses for handshakes and pings).
class system_net_clock final : public net_clock {
public:
   /// `offset` is added to every reading: a node whose clock is skewed (p2pnode --clock-offset-ms).
   explicit system_net_clock(net_time offset = {}) : offset_(offset) {}
   net_time now() const override {
      return std::chrono::duration_cast<net_time>(std::chrono::system_clock::now().time_since_epoch()) + offset_;
   }

private:
   net_time offset_;
};

/// Time that moves only when told to. Not thread-safe.
class manual_net_clock final : public net_clock {
public:
   explicit manual_net_clock(net_time start) : now_(start) {}
   net_time now() const override { return now_; }
   void set(net_time t) { now_ = t; }
   void advance(net_time d) { now_ += d; }

private:
   net_time now_;
};

} // namespace core
