#pragma once
/// The input of a fuzz target as a file a reader opens by name (libpcap, the block log's
/// mapping): a memory file, reached through /proc/self/fd.
#include "fuzz_check.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <span>
#include <string>

namespace fuzz {

class memory_file {
public:
   explicit memory_file(std::span<const uint8_t> bytes) : fd_(memfd_create("fuzz_input", 0)) {
      FUZZ_CHECK(fd_ >= 0);
      for (std::size_t done = 0; done < bytes.size();) {
         const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
         FUZZ_CHECK(n > 0);
         done += static_cast<std::size_t>(n);
      }
   }
   ~memory_file() { ::close(fd_); }
   memory_file(const memory_file&) = delete;
   memory_file& operator=(const memory_file&) = delete;
   std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

private:
   int fd_;
};

} // namespace fuzz
