#pragma once
/// A minimal synchronous signal: handlers run in connection order on the emitting thread.
#include <functional>
#include <utility>
#include <vector>

namespace core {

template <class... Args>
class signal {
public:
   using handler = std::function<void(Args...)>;
   void connect(handler h) { handlers_.push_back(std::move(h)); }
   void operator()(Args... args) const {
      for (const auto& h : handlers_)
         h(args...);
   }
   bool empty() const { return handlers_.empty(); }

private:
   std::vector<handler> handlers_;
};

} // namespace core
