// p2pnode: the networked node: handshake, sync, relay and block production (issue: p2pnode and p2pctl).
// Only --help exists until its issue lands; every other invocation is a usage error.
#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
   CLI::App app{"p2pnode — the networked node: handshake, sync, relay and block production (issue: p2pnode and p2pctl). Not implemented yet: only --help works."};
   app.require_subcommand(0, 0);
   CLI11_PARSE(app, argc, argv);
   std::fprintf(stderr, "p2pnode: not implemented yet (see --help)\n");
   return 2;
}
