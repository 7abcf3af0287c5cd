#pragma once
// For the crash tests: starts a helper process and returns once it says it is ready (one byte
// on its stdout), so a kill delay counts from there whatever the machine's load makes its
// start-up take.
#include <string>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

namespace core::test {

/// Runs `path` with `args`; its pid once it wrote its ready byte, -1 when it failed first.
inline pid_t spawn_ready(const char* path, const std::vector<std::string>& args) {
   int ready[2];
   if (::pipe(ready) != 0)
      return -1;
   std::vector<char*> argv{const_cast<char*>(path)};
   for (const auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
   argv.push_back(nullptr);
   const pid_t pid = ::fork();
   if (pid == 0) {
      ::close(ready[0]);
      ::dup2(ready[1], 1);
      ::execv(path, argv.data());
      ::_exit(127);
   }
   ::close(ready[1]);
   char byte = 0;
   const bool ok = pid > 0 && ::read(ready[0], &byte, 1) == 1;
   ::close(ready[0]);
   return ok ? pid : -1;
}

} // namespace core::test
