// blockdump progress lines: at most one per interval, none when disabled.
#include "progress.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <thread>

TEST_CASE("blockdump progress: one line per interval when enabled, silent otherwise", "[blockdump]") {
   std::ostringstream on, off;
   blockdump::progress p_on(on, "verify", 1, 1000, true);
   blockdump::progress p_off(off, "verify", 1, 1000, false);
   for (uint32_t n = 1; n <= 500; ++n) {
      p_on.update(n);
      p_off.update(n);
   }
   CHECK(on.str().empty()); // the first interval has not passed
   std::this_thread::sleep_for(blockdump::progress::interval + std::chrono::milliseconds(50));
   for (uint32_t n = 501; n <= 1000; ++n) {
      p_on.update(n);
      p_off.update(n);
   }
   CHECK(on.str() == "blockdump verify: block 512 of 1..1000 (51.2%)\n");
   CHECK(off.str().empty());
}
