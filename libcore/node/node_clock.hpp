#pragma once
/// The chain's clock (chain/clock.hpp) read from the node's one clock (net/net_time.hpp), so
/// block production, the engine's timers and the log share one source of time.
#include "chain/clock.hpp"
#include "net/net_time.hpp"

namespace core {

class node_chain_clock final : public chain_clock {
public:
   explicit node_chain_clock(const net_clock& clock) : clock_(clock) {}
   time_point now() const override {
      return time_point{std::chrono::duration_cast<std::chrono::microseconds>(clock_.now()).count()};
   }

private:
   const net_clock& clock_;
};

} // namespace core
