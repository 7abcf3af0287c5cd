// Catch2's main, plus the run log: with P2P_TEST_RUN_LOG=FILE in the environment, every test case
// that ran to its end appends "<executable>\t<test case name>" to FILE, so that
// scripts/check-test-count.sh can compare the test cases a CTest run executed with those declared.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>

namespace {

class run_log final : public Catch::TestEventListenerBase {
public:
   using TestEventListenerBase::TestEventListenerBase;

   void testCaseEnded(const Catch::TestCaseStats& stats) override {
      const char* path = std::getenv("P2P_TEST_RUN_LOG");
      // Hidden test cases are helpers other tests start in a child process, never declared.
      if (!path || !*path || stats.testInfo.isHidden())
         return;
      char exe[PATH_MAX] = {};
      const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
      const std::string line = std::string(exe, n > 0 ? static_cast<std::size_t>(n) : 0) + '\t' +
                               stats.testInfo.name + '\n';
      // One write of one line with O_APPEND: lines of tests running in parallel do not interleave.
      const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0)
         return;
      (void)!::write(fd, line.data(), line.size());
      ::close(fd);
   }
};

} // namespace

CATCH_REGISTER_LISTENER(run_log)
