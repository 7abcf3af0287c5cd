// p2pnode: the networked node — handshake, sync, relay, block production, control socket.
#include "p2pnode.hpp"

#include <iostream>

int main(int argc, char** argv) {
   return p2pnode::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
