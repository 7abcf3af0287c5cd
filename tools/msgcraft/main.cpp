// msgcraft: see msgcraft(1). All logic lives in msgcraft_lib (run() is testable in-process).
#include "msgcraft.hpp"

#include <iostream>

int main(int argc, char** argv) {
   std::ios::sync_with_stdio(false);
   std::vector<std::string> args(argv + 1, argv + argc);
   const int rc = msgcraft::run(std::move(args), std::cin, std::cout, std::cerr);
   std::cout.flush();
   return rc;
}
