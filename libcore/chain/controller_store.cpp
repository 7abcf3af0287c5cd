// The controller's view of its store's health: a failed write (a full disk, a read-only
// filesystem) stops block acceptance and production until a retry finds the store writing.
#include "chain/controller.hpp"

#include <fmt/format.h>

namespace core {

void controller::note_store_failure(std::string error) {
   if (store_fault_) {
      store_fault_->error = std::move(error);
      return;
   }
   store_fault_ = store_failure{std::move(error), clock_.now(), 0};
   store_state_changed(store_fault_);
}

result<bool> controller::retry_store() {
   if (!store_fault_)
      return true;
   auto fail = [this](std::string e) -> result<bool> {
      store_fault_->error = e;
      ++store_fault_->retries;
      return unexpected{std::move(e)};
   };
   if (auto r = store_.recover(); !r)
      return fail(r.error());
   // The LIB advance that failed is still waiting (its blocks are in the fork database).
   if (auto e = advance_lib_to(head_->irreversible_blocknum(), true); !e.empty())
      return fail(store_fault_->error);
   if (auto r = store_.persist_reversible(); !r)
      return fail(r.error());
   store_fault_.reset();
   store_state_changed(store_fault_);
   return true;
}

} // namespace core
