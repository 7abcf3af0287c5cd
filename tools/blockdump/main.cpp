// blockdump: offline reader and verifier of block logs (issue: local chain and blockdump).
// Only --help exists until its issue lands; every other invocation is a usage error.
#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
   CLI::App app{"blockdump — offline reader and verifier of block logs (issue: local chain and blockdump). Not implemented yet: only --help works."};
   app.require_subcommand(0, 0);
   CLI11_PARSE(app, argc, argv);
   std::fprintf(stderr, "blockdump: not implemented yet (see --help)\n");
   return 2;
}
