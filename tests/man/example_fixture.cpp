// What run_examples.sh cannot make with the tools themselves:
//   example_fixture ports N                      N free TCP ports on 127.0.0.1, one a line
//   example_fixture genesis FILE                 the devnet's genesis.json
//   example_fixture transfer CHAIN_ID REF_NUM REF_ID MEMO FILE
//                                                a signed packed_transaction (nodeos JSON):
//                                                eosio.token::transfer by eosio@active, dev key,
//                                                TAPoS to block REF_NUM/REF_ID, expiring in 120 s
#include "types/devnet.hpp"
#include "codec/codec.hpp"
#include "crypto/private_key.hpp"
#include "support/test_transactions.hpp"

#include <fmt/format.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

int usage() {
   std::fputs("usage: example_fixture ports N | genesis FILE | transfer CHAIN_ID REF_NUM REF_ID MEMO FILE\n", stderr);
   return 2;
}

int fail(const std::string& why) {
   std::fprintf(stderr, "example_fixture: %s\n", why.c_str());
   return 1;
}

/// Ports bound at once (so they are distinct) and released together.
int ports(int n) {
   std::vector<int> fds;
   for (int i = 0; i < n; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof a;
      if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
          ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
         return fail("cannot bind a port");
      std::printf("%u\n", unsigned(ntohs(a.sin_port)));
      fds.push_back(fd);
   }
   for (int fd : fds)
      ::close(fd);
   return 0;
}

int transfer(const std::string& chain, const std::string& ref_num, const std::string& ref, const std::string& memo,
             const std::string& file) {
   auto chain_id = core::checksum256::from_string(chain);
   auto ref_id = core::block_id_type::from_string(ref);
   if (!chain_id || !ref_id)
      return fail("CHAIN_ID and REF_ID are 64 hex digits");
   const auto key = core::private_key::from_string(core::devnet_private_key_wif).value();
   const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
   const auto trx = test::signed_transfer(*chain_id, static_cast<uint32_t>(std::stoul(ref_num)), *ref_id,
                                          core::time_point_sec{static_cast<uint32_t>(now_s + 120)}, memo, key,
                                          core::name::from_string("eosio").value());
   std::ofstream(file) << core::to_json(trx) << '\n';
   return 0;
}

} // namespace

int main(int argc, char** argv) {
   const std::vector<std::string> a(argv + 1, argv + argc);
   if (a.size() == 2 && a[0] == "ports")
      return ports(std::atoi(a[1].c_str()));
   if (a.size() == 2 && a[0] == "genesis") {
      auto w = core::write_genesis_json(core::devnet_genesis(), a[1]);
      return w ? 0 : fail(w.error());
   }
   if (a.size() == 6 && a[0] == "transfer")
      return transfer(a[1], a[2], a[3], a[4], a[5]);
   return usage();
}
