// Catch2's main, plus the run log: with P2P_TEST_RUN_LOG=FILE in the environment, every test case
// that ran to its end appends "<executable>\t<test case name>" to FILE, so that
// scripts/check-test-count.sh can compare the test cases a CTest run executed with those declared.
// A test case that cannot run here (skip.hpp) is logged too: it ran, and decided.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "support/skip.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

void append_run_log(const std::string& test_name) {
   const char* path = std::getenv("P2P_TEST_RUN_LOG");
   if (!path || !*path)
      return;
   char exe[PATH_MAX] = {};
   const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
   const std::string line = std::string(exe, n > 0 ? static_cast<std::size_t>(n) : 0) + '\t' + test_name + '\n';
   // One write of one line with O_APPEND: lines of tests running in parallel do not interleave.
   const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
   if (fd < 0)
      return;
   (void)!::write(fd, line.data(), line.size());
   ::close(fd);
}

class run_log final : public Catch::TestEventListenerBase {
public:
   using TestEventListenerBase::TestEventListenerBase;

   void testCaseEnded(const Catch::TestCaseStats& stats) override {
      // Hidden test cases are helpers other tests start in a child process, never declared.
      if (!stats.testInfo.isHidden())
         append_run_log(stats.testInfo.name);
   }
};

} // namespace

namespace test {

void skip_test(const std::string& why) {
   const std::string name = Catch::getResultCapture().getCurrentTestName();
   std::fprintf(stderr, "SKIPPED: %s: %s\n", name.c_str(), why.c_str());
   append_run_log(name);
   std::fflush(nullptr);
   std::_Exit(skip_exit_code);
}

} // namespace test

CATCH_REGISTER_LISTENER(run_log)
