#pragma once
/// Progress lines on stderr for long runs, only when stderr is a terminal.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace blockdump {

class progress {
public:
   /// Minimum time between two progress lines.
   static constexpr std::chrono::milliseconds interval{1000};

   /// Enabled when file descriptor 2 is a terminal; `err` receives the lines.
   progress(std::ostream& err, std::string what, uint32_t first_block, uint32_t last_block);
   /// Enables or disables explicitly (tests).
   progress(std::ostream& err, std::string what, uint32_t first_block, uint32_t last_block, bool enabled);

   /// Called once per block; prints at most one line per interval.
   void update(uint32_t block_num) {
      if (enabled_ && (++calls_ & 0xff) == 0)
         maybe_print(block_num);
   }

private:
   void maybe_print(uint32_t block_num);

   std::ostream& err_;
   std::string what_;
   uint32_t first_, last_;
   bool enabled_;
   uint32_t calls_ = 0;
   std::chrono::steady_clock::time_point next_;
};

} // namespace blockdump
