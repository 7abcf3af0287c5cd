#pragma once
/// msgcraft: craft and inspect EOS/Antelope (Leap 5) p2p messages byte-for-byte.
#include <iosfwd>
#include <string>
#include <vector>

namespace msgcraft {

/// Runs one msgcraft command line. `args` excludes the program name ({"decode", "--hex", ...}).
/// Data goes to `out`, diagnostics to `err`. Returns the exit code: 0 success, 1 bad input (one
/// "msgcraft: ..." line on `err`), 2 usage error. Never throws.
int run(std::vector<std::string> args, std::istream& in, std::ostream& out, std::ostream& err);

} // namespace msgcraft
