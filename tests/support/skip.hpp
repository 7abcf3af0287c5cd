#pragma once
/// A test case that cannot run on this machine (it needs root to mount a filesystem, say) says
/// why on stderr and ends its process with skip_exit_code, which CTest reports as "Skipped"
/// (the test's SKIP_RETURN_CODE), never as passed. The run log counts it as executed.
#include <string>

namespace test {

inline constexpr int skip_exit_code = 77;

[[noreturn]] void skip_test(const std::string& why);

} // namespace test
