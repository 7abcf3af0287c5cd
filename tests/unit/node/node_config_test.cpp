#include "node/node_config.hpp"

#include "types/devnet.hpp"

#include "../store/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace core;

namespace {
struct parsed {
   node_config cfg;
   std::string error; ///< parse (usage) or finish_config error
};
parsed parse(std::vector<std::string> args) {
   parsed p;
   CLI::App app{"test"};
   add_node_options(app, p.cfg);
   std::vector<std::string> rev(args.rbegin(), args.rend());
   try {
      app.parse(rev);
   } catch (const CLI::ParseError& e) {
      p.error = e.what();
      return p;
   }
   auto r = finish_config(app, p.cfg);
   if (!r)
      p.error = r.error();
   return p;
}
const std::string dev_pub = "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV";
const std::string dev_priv = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3";
} // namespace

TEST_CASE("node_config: nodeos defaults", "[node]") {
   auto p = parse({"--data-dir", "/tmp/x"});
   REQUIRE(p.error.empty());
   REQUIRE(p.cfg.p2p_listen_endpoint.size() == 1);
   CHECK(p.cfg.p2p_listen_endpoint[0].to_string() == "0.0.0.0:9876:0");
   CHECK(p.cfg.max_clients == 25);
   CHECK(p.cfg.sync_fetch_span == 1000);
   CHECK(p.cfg.sync_peer_limit == 3);
   CHECK(p.cfg.p2p_keepalive_interval == std::chrono::milliseconds(10000));
   CHECK(p.cfg.agent_name == "EOS Test Agent");
   CHECK(p.cfg.allowed_connection_mask == uint8_t(allowed_connection::any));
   CHECK(p.cfg.network_version == 1216); // Spring 1.2 (protocol 11)
   CHECK_FALSE(p.cfg.p2p_disable_block_nack);
   CHECK(p.cfg.control_socket == "/tmp/x/p2pnode.sock");
}

TEST_CASE("node_config: values parse, bad values name the option", "[node]") {
   auto p = parse({"-d", "/tmp/x", "--p2p-peer-address", "127.0.0.1:9877:blk", "--p2p-peer-address", "[::1]:9878",
                   "--allowed-connection", "producers", "--allowed-connection", "specified", "--peer-key", dev_pub,
                   "--signature-provider", dev_pub + "=KEY:" + dev_priv, "--producer-name", "eosio",
                   "--peer-private-key", "[\"" + dev_pub + "\",\"" + dev_priv + "\"]"});
   INFO(p.error);
   REQUIRE(p.error.empty());
   CHECK(p.cfg.p2p_peer_address[0].suffix == "blk");
   CHECK(p.cfg.p2p_peer_address[1].host == "::1");
   CHECK(p.cfg.allowed_connection_mask == 3);
   CHECK(p.cfg.signature_provider.size() == 1);
   CHECK(p.cfg.peer_private_key.size() == 1);
   CHECK(parse({"-d", "x", "--p2p-peer-address", "nohost"}).error.find("--p2p-peer-address") != std::string::npos);
   CHECK(parse({"-d", "x", "--p2p-peer-address", "h:99999"}).error.find("bad port") != std::string::npos);
   CHECK(parse({"-d", "x", "--allowed-connection", "some"}).error.find("--allowed-connection") != std::string::npos);
   CHECK(parse({"-d", "x", "--allowed-connection", "specified"}).error.find("--peer-key") != std::string::npos);
   CHECK(parse({"-d", "x", "--signature-provider", dev_pub + "=KEY:5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD4"}).error != "");
   CHECK(parse({"-d", "x", "--network-version", "99"}).error != "");
   // 1212 (Leap 5) .. 1217 (Spring main) may be chosen, nothing else.
   for (int v = 1212; v <= 1217; ++v) {
      auto ok = parse({"-d", "x", "--network-version", std::to_string(v)});
      CHECK(ok.error.empty());
      CHECK(ok.cfg.network_version == v);
   }
   CHECK(parse({"-d", "x", "--network-version", "1211"}).error.find("--network-version") != std::string::npos);
   CHECK(parse({"-d", "x", "--network-version", "1218"}).error.find("--network-version") != std::string::npos);
   CHECK(parse({"-d", "x", "--p2p-disable-block-nack", "true"}).cfg.p2p_disable_block_nack);
   CHECK(parse({"-d", "x", "--log-level", "loud"}).error != "");
   CHECK(parse({"-d", "x", "--sync-fetch-span", "0"}).error.find("--sync-fetch-span") != std::string::npos);
   CHECK(parse({"--max-clients", "3"}).error.find("data-dir") != std::string::npos);
}

TEST_CASE("node_config: signature-provider takes K1 and BLS keys in nodeos's form", "[node]") {
   // A Spring key pair (spring-util bls create key; tests/unit/crypto/bls/data/spring_bls_keys.txt).
   const std::string bls_priv = "PVT_BLS_vh0bYgBLOLxs_h9zvYNtj20yj8UJxWeFFAtDUW2_pG44e5yc";
   const std::string bls_pub = "PUB_BLS_82P3oM1u0IEv64u9i4vSzvg1-QDl4Fb2n50Mp8Sk7Fr1Tz0MJypzL39nSd5VPFgFC9WqrjopRbBm1Pf0RkP018fo1k2rXaJY7Wtzd9RKlE8PoQ6XhDm4PyZlIupQg_gOuiMhcg";
   const std::string other_bls_priv = "PVT_BLS_edLoUiiP2FfMem4la3Ek8zxIDjDjOFylRw9ymdeOVCC0CuXN";
   auto p = parse({"-d", "x", "--signature-provider", dev_pub + "=KEY:" + dev_priv, "--signature-provider",
                   bls_pub + "=KEY:" + bls_priv});
   INFO(p.error);
   REQUIRE(p.error.empty());
   REQUIRE(p.cfg.signature_provider.size() == 1);
   REQUIRE(p.cfg.finalizer_keys.size() == 1);
   CHECK(p.cfg.finalizer_keys[0].first.to_string() == bls_pub);
   CHECK(p.cfg.finalizer_keys[0].second.to_string() == bls_priv);

   auto err = [&](const std::string& value) { return parse({"-d", "x", "--signature-provider", value}).error; };
   CHECK(err(bls_pub + "=KEY:" + other_bls_priv).find("does not match") != std::string::npos);
   CHECK(err(bls_pub + "=KEY:" + dev_priv).find("BLS public key") != std::string::npos);
   CHECK(err(dev_pub + "=KEY:" + bls_priv).find("K1 public key") != std::string::npos);
   CHECK(err(bls_pub + "=KEOSD:" + bls_priv).find("PUBLIC=KEY:PRIVATE") != std::string::npos);
   CHECK(err(bls_pub.substr(0, bls_pub.size() - 1) + "x=KEY:" + bls_priv).find("--signature-provider") != std::string::npos);
   CHECK(err(bls_pub + "=KEY:PVT_BLS_short").find("--signature-provider") != std::string::npos);
   CHECK(parse({"-d", "x", "--signature-provider", bls_pub + "=KEY:" + bls_priv, "--signature-provider",
                bls_pub + "=KEY:" + bls_priv})
            .error.find("twice") != std::string::npos);
}

TEST_CASE("node_config: config.ini in nodeos form, command line wins", "[node]") {
   auto dir = std::filesystem::temp_directory_path() / "node_config_test";
   std::filesystem::create_directories(dir);
   auto ini = dir / "config.ini";
   std::ofstream(ini) << "# comment\np2p-peer-address = 127.0.0.1:1\np2p-peer-address = 127.0.0.1:2\n"
                         "max-clients = 7\nagent-name = \"From Ini\"\nenable-stale-production = true\n";
   std::ofstream(ini, std::ios::app) << "peer-private-key = [\"" << dev_pub << "\",\"" << dev_priv << "\"]\n";
   auto entries = read_config_ini(ini.string());
   REQUIRE(entries);
   auto p = parse(merge_config_args(*entries, {"-d", dir.string(), "--max-clients", "9"}));
   REQUIRE(p.error.empty());
   CHECK(p.cfg.p2p_peer_address.size() == 2);
   CHECK(p.cfg.max_clients == 9);
   CHECK(p.cfg.agent_name == "From Ini");
   CHECK(p.cfg.enable_stale_production);
   CHECK(p.cfg.peer_private_key.size() == 1);
   std::ofstream(dir / "bad.ini") << "just words\n";
   auto bad = read_config_ini((dir / "bad.ini").string());
   REQUIRE_FALSE(bad);
   CHECK(bad.error().find("bad.ini:1") != std::string::npos);
}

TEST_CASE("node_config: a config.ini line with an empty value leaves the option at its default", "[node]") {
   core::test::temp_dir dir;
   const auto ini = dir.path / "config.ini";
   // Each empty value is followed by another entry, which it must not take as its value.
   std::ofstream(ini) << "p2p-server-address =\np2p-peer-address = 127.0.0.1:1\n"
                         "resource-monitor-space-absolute-gb =\nmax-clients = 7\n"
                         "enable-stale-production =\nagent-name = \"\"\nclock-offset-ms = 5\n"
                         "p2p-peer-address =\n";
   auto entries = read_config_ini(ini.string());
   REQUIRE(entries);
   CHECK(entries->size() == 8);
   const auto args = merge_config_args(*entries, {"--data-dir", "/tmp/x"});
   CHECK(args == std::vector<std::string>{"--p2p-peer-address=127.0.0.1:1", "--max-clients=7", "--clock-offset-ms=5",
                                          "--data-dir", "/tmp/x"});
   auto p = parse(args);
   INFO(p.error);
   REQUIRE(p.error.empty());
   const node_config defaults = parse({"--data-dir", "/tmp/x"}).cfg;
   REQUIRE(p.cfg.p2p_peer_address.size() == 1);
   CHECK(p.cfg.p2p_peer_address[0].to_string() == "127.0.0.1:1");
   CHECK(p.cfg.p2p_server_address == defaults.p2p_server_address);
   CHECK(p.cfg.max_clients == 7);
   CHECK(p.cfg.space.absolute_bytes == defaults.space.absolute_bytes);
   CHECK(p.cfg.enable_stale_production == defaults.enable_stale_production);
   CHECK(p.cfg.agent_name == defaults.agent_name);
   CHECK(p.cfg.clock_offset == std::chrono::milliseconds(5));
}

namespace {
uint64_t rate_or_sentinel(std::string_view s) {
   auto r = parse_rate_limit(s);
   return r ? *r : 999'999;
}
} // namespace

TEST_CASE("node_config: listen rate caps as nodeos writes them", "[node]") {
   CHECK(rate_or_sentinel("0") == uint64_t{0});
   CHECK(rate_or_sentinel("") == uint64_t{0});
   CHECK(rate_or_sentinel("640KiB/s") == uint64_t{640 * 1024});
   CHECK(rate_or_sentinel("1.5MB/s") == uint64_t{1'500'000});
   CHECK(rate_or_sentinel("2 GiB/s") == uint64_t{2ull << 30});
   CHECK(rate_or_sentinel("100B/s") == uint64_t{100});
   CHECK_FALSE(parse_rate_limit("fast"));
   CHECK_FALSE(parse_rate_limit("10 furlongs/s"));
   CHECK_FALSE(parse_rate_limit("0.1B/s"));
   CHECK(parse({"-d", "x", "--p2p-listen-endpoint", "0.0.0.0:9876:9parsecs"}).error.find("rate cap") != std::string::npos);
   auto ok = parse({"-d", "x", "--p2p-listen-endpoint", "0.0.0.0:9876:640KiB/s"});
   CHECK(ok.error.empty());
}

TEST_CASE("node_config: --genesis-json fills what it leaves out with nodeos's defaults", "[node]") {
   core::test::temp_dir dir;
   const auto path = dir.path / "genesis.json";
   std::ofstream(path) << R"({"initial_timestamp": "2026-01-01T00:00:00.000",
                              "initial_key": "EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV"})";
   auto p = parse({"--data-dir", dir.path.string(), "--genesis-json", path.string()});
   INFO(p.error);
   REQUIRE(p.error.empty());
   REQUIRE(p.cfg.genesis);
   CHECK(p.cfg.genesis->initial_configuration == chain_config{});
   CHECK(p.cfg.genesis->compute_chain_id() == devnet_genesis().compute_chain_id());

   // One field of the configuration given: the others keep their defaults; and an empty object
   // is nodeos's default genesis.
   std::ofstream(path) << R"({"initial_configuration": {"max_transaction_lifetime": 7200}})";
   auto q = parse({"--data-dir", dir.path.string(), "--genesis-json", path.string()});
   INFO(q.error);
   REQUIRE(q.error.empty());
   CHECK(q.cfg.genesis->initial_configuration.max_transaction_lifetime == 7200u);
   CHECK(q.cfg.genesis->initial_configuration.max_block_net_usage == chain_config{}.max_block_net_usage);
   CHECK(q.cfg.genesis->initial_timestamp == nodeos_default_genesis().initial_timestamp);
   CHECK(q.cfg.genesis->initial_key == nodeos_default_genesis().initial_key);
   CHECK(nodeos_default_genesis().initial_timestamp.to_string().starts_with("2018-06-01T12:00:00"));

   // A field of the wrong type is still an error naming it.
   std::ofstream(path) << R"({"initial_configuration": {"max_transaction_lifetime": "long"}})";
   auto bad = parse({"--data-dir", dir.path.string(), "--genesis-json", path.string()});
   CHECK(bad.error.find("max_transaction_lifetime") != std::string::npos);
}

TEST_CASE("node_config: the default config.ini lists every option at its default, and reads back as the defaults", "[node]") {
   CLI::App app{"test"};
   node_config unused;
   add_node_options(app, unused);
   std::ostringstream out;
   write_default_config_ini(app, out);
   const std::string ini = out.str();
   for (const CLI::Option* opt : app.get_options()) {
      const auto& name = opt->get_lnames().front();
      const bool listed = ini.find("\n# " + name + " =") != std::string::npos;
      INFO(name);
      CHECK(listed == (name != "help" && name != "data-dir" && name != "config-file"));
   }
   CHECK(ini.find("\n# p2p-listen-endpoint = 0.0.0.0:9876:0\n") != std::string::npos);
   CHECK(ini.find("\n# enable-stale-production = false\n") != std::string::npos);
   CHECK(ini.find("\n# p2p-accept-transactions = true\n") != std::string::npos);
   CHECK(ini.find("\n# log-level = info\n") != std::string::npos);

   // Uncommented, every option line (those with no default too) is accepted and gives the defaults.
   core::test::temp_dir dir;
   const auto path = dir.path / "config.ini";
   {
      std::ofstream f(path);
      std::istringstream in(ini);
      for (std::string line; std::getline(in, line);)
         if (const auto eq = line.find(" ="); line.starts_with("# ") && eq != std::string::npos &&
                                                 line.find(' ', 2) == eq) // "# name = value", not help text
            f << line.substr(2) << '\n';
   }
   auto entries = read_config_ini(path.string());
   REQUIRE(entries);
   CHECK(entries->size() >= 15); // the options with a default
   auto p = parse(merge_config_args(*entries, {"--data-dir", "/tmp/x"}));
   INFO(p.error);
   REQUIRE(p.error.empty());
   const node_config defaults = parse({"--data-dir", "/tmp/x"}).cfg;
   REQUIRE(p.cfg.p2p_listen_endpoint.size() == 1);
   CHECK(p.cfg.p2p_listen_endpoint[0].to_string() == "0.0.0.0:9876:0");
   CHECK(p.cfg.peer_log_format == defaults.peer_log_format); // its trailing space kept by quotes
   CHECK(p.cfg.agent_name == defaults.agent_name);
   CHECK(p.cfg.p2p_accept_transactions == defaults.p2p_accept_transactions);
   CHECK(p.cfg.enable_stale_production == defaults.enable_stale_production);
   CHECK(p.cfg.max_clients == defaults.max_clients);
   CHECK(p.cfg.p2p_keepalive_interval == defaults.p2p_keepalive_interval);
   CHECK(p.cfg.network_version == defaults.network_version);
   CHECK(p.cfg.log_level == defaults.log_level);
}

TEST_CASE("node_config: p2p-bp-gossip-endpoint in Spring's form needs a signature-provider", "[node]") {
   const std::string sp = dev_pub + "=KEY:" + dev_priv;
   auto p = parse({"--data-dir", "/tmp/x", "--signature-provider", sp, "--p2p-bp-gossip-endpoint",
                   "myprod,myhostname.com:9876,198.51.100.1", "--p2p-bp-gossip-endpoint",
                   "myprod,h2.example:9876,198.51.100.2"});
   REQUIRE(p.error.empty());
   REQUIRE(p.cfg.p2p_bp_gossip_endpoint.size() == 2);
   CHECK(p.cfg.p2p_bp_gossip_endpoint[0].account == name(name::string_to_value("myprod")));
   CHECK(p.cfg.p2p_bp_gossip_endpoint[1].server_endpoint == "h2.example:9876");
   CHECK(p.cfg.p2p_bp_gossip_endpoint[1].outbound_ip_address == "198.51.100.2");
   auto no_key = parse({"--data-dir", "/tmp/x", "--p2p-bp-gossip-endpoint", "myprod,h:9876,1.2.3.4"});
   CHECK(no_key.error.find("signature-provider") != std::string::npos);
   auto bad = parse({"--data-dir", "/tmp/x", "--signature-provider", sp, "--p2p-bp-gossip-endpoint", "myprod,h:9876"});
   CHECK(bad.error.find("p2p-bp-gossip-endpoint") != std::string::npos);
   auto dup = parse({"--data-dir", "/tmp/x", "--signature-provider", sp, "--p2p-bp-gossip-endpoint",
                     "myprod,h:9876,1.2.3.4", "--p2p-bp-gossip-endpoint", "myprod,h2:9876,1.2.3.4"});
   CHECK(dup.error.find("duplicate") != std::string::npos);
}
