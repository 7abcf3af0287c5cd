#include "node/schedule_log.hpp"

namespace core {

std::string schedule_log::describe(const producer_authority_schedule& s) {
   std::string names;
   for (const auto& p : s.producers)
      names += (names.empty() ? "" : ", ") + p.producer_name.to_string();
   return fmt::format("version {}: {}", s.version, names.empty() ? std::string("(none)") : names);
}

void schedule_log::start(const block_header_state& head) {
   active_version_ = head.active_schedule.version;
   pending_version_ = head.pending_schedule.schedule.version;
}

void schedule_log::on_block(const block_header_state& b) {
   const auto& pending = b.pending_schedule;
   if (!pending.schedule.producers.empty() && pending.schedule.version > active_version_ &&
       pending.schedule.version != pending_version_ && pending.schedule_lib_num == b.block_num) {
      log_.info("chain", "promoting proposed schedule (set in block {}) to pending; current block: {} lib: {} schedule: {}",
                b.block_num, b.block_num, b.dpos_irreversible_blocknum, describe(pending.schedule));
      pending_version_ = pending.schedule.version;
   }
   if (b.active_schedule.version != active_version_) {
      log_.info("chain", "producer schedule {} is active from block {} (lib {}), replacing version {}",
                describe(b.active_schedule), b.block_num, b.dpos_irreversible_blocknum, active_version_);
      active_version_ = b.active_schedule.version;
   }
}

} // namespace core
