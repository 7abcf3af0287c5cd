#include "progress.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <ostream>

namespace blockdump {

progress::progress(std::ostream& err, std::string what, uint32_t first_block, uint32_t last_block)
   : progress(err, std::move(what), first_block, last_block, ::isatty(STDERR_FILENO) == 1) {}

progress::progress(std::ostream& err, std::string what, uint32_t first_block, uint32_t last_block, bool enabled)
   : err_(err), what_(std::move(what)), first_(first_block), last_(last_block), enabled_(enabled),
     next_(std::chrono::steady_clock::now() + interval) {}

void progress::maybe_print(uint32_t block_num) {
   const auto now = std::chrono::steady_clock::now();
   if (now < next_)
      return;
   next_ = now + interval;
   const double span = last_ >= first_ ? double(last_ - first_ + 1) : 1.0;
   err_ << fmt::format("blockdump {}: block {} of {}..{} ({:.1f}%)\n", what_, block_num, first_, last_,
                       100.0 * double(block_num - first_ + 1) / span);
   err_.flush();
}

} // namespace blockdump
