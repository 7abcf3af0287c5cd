// blockdump: decode and verify block logs offline.
#include "blockdump.hpp"

#include <iostream>

int main(int argc, char** argv) {
   std::ios::sync_with_stdio(false);
   return blockdump::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
