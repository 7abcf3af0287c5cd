#include "store/store_lock.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace core {

std::optional<int> store_lock_holder(const std::filesystem::path& store_dir) {
   struct stat st {};
   if (::stat((store_dir / "LOCK").c_str(), &st) != 0)
      return std::nullopt;
   // Lines like "1: POSIX  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" ("OFDLCK ... -1 ..."), and
   // "1: -> POSIX ..." for a process waiting on a lock, which does not hold it.
   std::ifstream locks("/proc/locks");
   for (std::string line; std::getline(locks, line);) {
      std::istringstream in(line);
      std::string number, kind, advisory, access, dev_ino;
      long pid = 0;
      if (!(in >> number >> kind) || kind == "->" || !(in >> advisory >> access >> pid >> dev_ino))
         continue;
      unsigned major_n = 0, minor_n = 0;
      unsigned long long ino = 0;
      if (std::sscanf(dev_ino.c_str(), "%x:%x:%llu", &major_n, &minor_n, &ino) != 3)
         continue;
      if (ino == st.st_ino && major_n == major(st.st_dev) && minor_n == minor(st.st_dev))
         return pid > 0 ? static_cast<int>(pid) : -1;
   }
   return std::nullopt;
}

} // namespace core
