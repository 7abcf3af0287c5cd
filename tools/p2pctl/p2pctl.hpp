#pragma once
/// p2pctl: talk to a running p2pnode over its control socket (JSON lines, see p2pctl(1)).
#include <iosfwd>
#include <string>
#include <vector>

namespace p2pctl {

/// Runs one p2pctl command line. `args` excludes the program name ({"--socket", S, "status"}).
/// Data goes to `out`, diagnostics to `err`. Returns the exit code: 0 success, 1 the node refused
/// (or the input could not be read), 2 usage error, 3 cannot reach the node. Never throws.
int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

} // namespace p2pctl
