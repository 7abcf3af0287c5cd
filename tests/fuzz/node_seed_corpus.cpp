// fuzz_node_seed_corpus <out-dir>: seeds for the targets of what an operator hands p2pnode,
// written at test time under <out-dir>/<target>. Exit 0 on success, 2 on usage error.
//
//   config_ini       p2pnode's own default config.ini (every option commented out, as
//                    --print-default-config prints it), the same with every option set to its
//                    default, and a producer's config with peers, keys, a schedule, BLS
//                    finalizer keys and every quoting and comment form
//   control_request  one request line per control socket command (p2pctl's), with the arguments
//                    the fake node of control_surface_fixture.hpp knows, and a few refused ones
#include "control_surface_fixture.hpp"

#include "support/test_keys.hpp"
#include "support/test_transactions.hpp"

#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "node/node_config.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

void write(const fs::path& dir, const std::string& name, const std::string& text) {
   std::ofstream(dir / name, std::ios::binary) << text;
}

/// A Spring BLS key pair (tests/unit/crypto/bls/data/spring_bls_keys.txt, first line).
const char* const bls_public =
   "PUB_BLS_82P3oM1u0IEv64u9i4vSzvg1-QDl4Fb2n50Mp8Sk7Fr1Tz0MJypzL39nSd5VPFgFC9WqrjopRbBm1Pf0RkP018fo1k2rXaJY7Wtzd9"
   "RKlE8PoQ6XhDm4PyZlIupQg_gOuiMhcg";
const char* const bls_private = "PVT_BLS_vh0bYgBLOLxs_h9zvYNtj20yj8UJxWeFFAtDUW2_pG44e5yc";

void config_seeds(const fs::path& dir) {
   core::node_config cfg;
   CLI::App app{"p2pnode", "p2pnode"};
   core::add_node_options(app, cfg);
   std::ostringstream defaults;
   core::write_default_config_ini(app, defaults);
   write(dir, "default_commented", defaults.str());
   // Every `# name = value` line set: the options with their defaults. (A help line is `# text`,
   // whose first word is not followed by " =".)
   std::istringstream in(defaults.str());
   std::string set, line;
   while (std::getline(in, line)) {
      const auto eq = line.find(" =");
      const bool option = line.starts_with("# ") && eq != std::string::npos &&
                          line.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-", 2) == eq;
      set += (option ? line.substr(2) : line) + '\n';
   }
   write(dir, "default_set", set);

   const auto k1 = test::dev_key();
   const auto k1_pub = k1.get_public_key().to_string();
   const auto peer = test::key_for("peer");
   std::ostringstream producer;
   producer << "# a producer of a private network\n"
            << "; nodeos also reads semicolon comments\n"
            << "p2p-listen-endpoint = 0.0.0.0:9876\n"
            << "p2p-server-address = node1.example:9876\n"
            << "p2p-peer-address = node2.example:9876\n"
            << "p2p-peer-address = 10.0.0.3:9876:trx\n"
            << "p2p-peer-address = [::1]:9877:blk\n"
            << "p2p-auto-bp-peer = proda,node2.example:9876\n"
            << "agent-name = \"EOS Test Agent\"\n"
            << "allowed-connection = producers\n"
            << "allowed-connection = specified\n"
            << "peer-key = " << peer.get_public_key().to_string() << '\n'
            << "peer-private-key = [\"" << peer.get_public_key().to_string() << "\",\"" << peer.to_string() << "\"]\n"
            << "producer-name = eosio\n"
            << "producer-name = proda\n"
            << "signature-provider = " << k1_pub << "=KEY:" << k1.to_string() << '\n'
            << "signature-provider = " << bls_public << "=KEY:" << bls_private << '\n'
            << "producer-schedule = eosio=" << k1_pub << '\n'
            << "producer-schedule = proda=" << k1_pub << '\n'
            << "p2p-bp-gossip-endpoint = eosio,node1.example:9876,10.0.0.1\n"
            << "enable-stale-production = true\n"
            << "max-clients = 25\n"
            << "sync-fetch-span = 100\n"
            << "p2p-keepalive-interval-ms = 10000\n"
            << "\t  connection-cleanup-period = 30  \r\n"
            << "log-level = debug\n";
   write(dir, "producer", producer.str());
}

void control_seeds(const fs::path& dir) {
   test::fake_surface f;
   fuzz::populate(f);
   const auto trx = test::signed_transfer(core::checksum256{}, 1, f.st.head_block_id,
                                          core::time_point_sec{1'700'000'000}, "seed", test::dev_key(),
                                          core::name::from_string("eosio").value());
   const std::vector<std::pair<std::string, std::string>> lines{
      {"status", R"({"cmd":"status"})"},
      {"peers", R"({"cmd":"peers"})"},
      {"bp_gossip_peers", R"({"cmd":"bp_gossip_peers"})"},
      {"sync", R"({"cmd":"sync"})"},
      {"metrics", R"({"cmd":"metrics"})"},
      {"watch", R"({"cmd":"watch"})"},
      {"connect", R"({"cmd":"connect","address":"10.0.0.3:9876"})"},
      {"connect_trx", R"({"cmd":"connect","address":"[::1]:9876:trx"})"},
      {"disconnect", R"({"cmd":"disconnect","address":"10.0.0.2:9876"})"},
      {"block_num", R"({"cmd":"block","num":)" + std::to_string(f.st.head_block_num) + "}"},
      {"block_id", R"({"cmd":"block","id":")" + f.st.head_block_id.to_string() + "\"}"},
      {"block_missing", R"({"cmd":"block","num":4294967295})"},
      {"push_hex", R"({"cmd":"push_transaction","hex":")" + core::to_hex(core::pack(trx)) + "\"}"},
      {"push_json", R"({"cmd":"push_transaction","trx":)" + core::to_json(trx) + "}"},
      {"activate_savanna", R"({"cmd":"activate_savanna","policy":{"generation":1,"threshold":2,"finalizers":[)"
                           R"({"description":"n1","weight":1,"public_key":")" +
                              std::string(bls_public) + R"("},{"description":"n2","weight":2,"public_key":")" +
                              bls_public + "\"}]}}"},
      {"unknown", R"({"cmd":"reboot"})"},
      {"not_an_object", R"(["status"])"},
      {"no_cmd", R"({"command":"status"})"},
   };
   for (const auto& [name, line] : lines)
      write(dir, name, line);
}

} // namespace

int main(int argc, char** argv) {
   if (argc != 2) {
      std::fprintf(stderr, "usage: fuzz_node_seed_corpus <out-dir>\n");
      return 2;
   }
   const fs::path root = argv[1];
   for (const char* t : {"config_ini", "control_request"}) {
      fs::remove_all(root / t);
      fs::create_directories(root / t);
   }
   config_seeds(root / "config_ini");
   control_seeds(root / "control_request");
   return 0;
}
