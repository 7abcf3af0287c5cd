#pragma once
/// Feeds blocks to a controller in the order given with their signature work running ahead:
/// offer() starts a block's prefetch on the controller's recovery pool and hands the block to
/// `accept` only once `depth` more have been offered (or at drain()), so the pool recovers the
/// blocks behind the one being applied. blockdump import and p2pnode --replay-blockchain use it.
/// Thread affinity: the controller's thread.
#include "chain/controller.hpp"

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>

namespace core {

class block_lookahead {
public:
   using accept_fn = std::function<void(std::shared_ptr<const signed_block>)>;

   block_lookahead(controller& chain, std::size_t depth, accept_fn accept)
      : chain_(chain), depth_(depth), accept_(std::move(accept)) {}

   void offer(std::shared_ptr<const signed_block> b) {
      chain_.prefetch_block_keys(b);
      ahead_.push_back(std::move(b));
      while (ahead_.size() > depth_)
         pop();
   }
   /// Hands over every block still held.
   void drain() {
      while (!ahead_.empty())
         pop();
   }
   std::size_t held() const { return ahead_.size(); }

private:
   void pop() {
      auto b = std::move(ahead_.front());
      ahead_.pop_front();
      accept_(std::move(b));
   }

   controller& chain_;
   std::size_t depth_;
   accept_fn accept_;
   std::deque<std::shared_ptr<const signed_block>> ahead_;
};

} // namespace core
