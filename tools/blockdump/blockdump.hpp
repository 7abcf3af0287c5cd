#pragma once
/// blockdump: reads block logs offline. `run` is the whole program, testable in-process.
#include <iosfwd>
#include <string>
#include <vector>

namespace blockdump {

/// Exit codes (man/blockdump.1): 0 ok, 1 bad input or a failed check, 2 usage.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace blockdump
