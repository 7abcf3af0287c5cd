#pragma once
// What every benchmark prints beside its figures: the machine's load (figures are comparable
// only on an otherwise idle machine) and the process's own memory from /proc/self/status.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

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

/// `flag` (such as `--quick`) among the arguments.
inline bool has_flag(int argc, char** argv, std::string_view flag) {
   for (int i = 1; i < argc; ++i)
      if (argv[i] == flag)
         return true;
   return false;
}

/// The value after `--name` among the arguments, or `def`.
inline uint64_t option_value(int argc, char** argv, std::string_view flag, uint64_t def) {
   for (int i = 1; i + 1 < argc; ++i)
      if (argv[i] == flag)
         return std::stoull(argv[i + 1]);
   return def;
}

/// Exits 2 with `usage` on stderr unless every argument is one of `options` followed by a whole
/// number, or one of `flags` (a benchmark that ran with a mistyped option would print figures
/// for the defaults).
inline void require_numeric_options(int argc, char** argv, std::initializer_list<std::string_view> options,
                                    const char* usage, std::initializer_list<std::string_view> flags = {}) {
   for (int i = 1; i < argc;) {
      bool flag = false, known = false;
      for (auto f : flags)
         flag = flag || argv[i] == f;
      if (flag) {
         ++i;
         continue;
      }
      for (auto o : options)
         known = known || argv[i] == o;
      const bool number = i + 1 < argc && *argv[i + 1] && std::strspn(argv[i + 1], "0123456789") == std::strlen(argv[i + 1]);
      if (!known || !number) {
         std::fprintf(stderr, "usage: %s\n", usage);
         std::exit(2);
      }
      i += 2;
   }
}

} // namespace bench
