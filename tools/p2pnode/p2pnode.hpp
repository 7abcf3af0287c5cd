#pragma once
/// p2pnode's command line: options from the command line and config.ini, then the node until
/// SIGINT / SIGTERM. Exit codes: 0 clean stop (or --help), 1 the node could not open or start
/// (damaged store, address in use, ...), 2 a bad option or value.
#include <iosfwd>
#include <string>
#include <vector>

namespace p2pnode {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace p2pnode
