#include "crypto/os_random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace core {

void os_random(std::span<uint8_t> out) {
   std::size_t done = 0;
   while (done < out.size()) {
      const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
      if (n < 0) {
         if (errno == EINTR)
            continue;
         std::perror("core::os_random: getrandom");
         std::abort();
      }
      done += static_cast<std::size_t>(n);
   }
}

} // namespace core
