// p2pctl: see p2pctl(1). All logic lives in p2pctl_lib (run() is testable in-process).
#include "p2pctl.hpp"

#include <iostream>

int main(int argc, char** argv) {
   std::ios::sync_with_stdio(false);
   const std::vector<std::string> args(argv + 1, argv + argc);
   const int rc = p2pctl::run(args, std::cin, std::cout, std::cerr);
   std::cout.flush();
   return rc;
}
