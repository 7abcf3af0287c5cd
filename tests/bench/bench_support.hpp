#pragma once
// What every benchmark prints beside its figures: the machine's load (figures are comparable
// only on an otherwise idle machine) and the process's own memory from /proc/self/status.
#include <cstring>
#include <fstream>
#include <string>

namespace bench {

/// The 1/5/15-minute load averages.
inline std::string load_average() {
   std::ifstream in("/proc/loadavg");
   std::string a, b, c;
   in >> a >> b >> c;
   return a + " " + b + " " + c;
}

/// The value of one /proc/self/status line ("VmHWM:", "VmRSS:"), or "?".
inline std::string proc_status(const char* key) {
   std::ifstream in("/proc/self/status");
   for (std::string line; std::getline(in, line);)
      if (line.starts_with(key))
         return line.substr(std::strlen(key) + 1);
   return "?";
}

} // namespace bench
