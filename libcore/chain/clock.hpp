#pragma once
/// The chain's time source, injectable so tests run in virtual time.
#include "types/time_types.hpp"

#include <chrono>

namespace core {

class chain_clock {
public:
   virtual ~chain_clock() = default;
   virtual time_point now() const = 0;
};

/// Wall-clock time.
class system_chain_clock final : public chain_clock {
public:
   time_point now() const override { return time_point::from_system(std::chrono::system_clock::now()); }
};

/// Time that moves only when told to. Not thread-safe.
class manual_chain_clock final : public chain_clock {
public:
   explicit manual_chain_clock(time_point start) : now_(start) {}
   time_point now() const override { return now_; }
   void set(time_point t) { now_ = t; }
   void advance(std::chrono::microseconds d) { now_.us += d.count(); }

private:
   time_point now_;
};

} // namespace core
