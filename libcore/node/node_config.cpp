#include "node/node_config.hpp"

#include "cli/command.hpp"
#include "types/devnet.hpp"
#include "codec/file_input.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <ostream>
#include <filesystem>
#include <sstream>
#include <variant>

namespace core {

std::string endpoint_spec::to_string() const {
   std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
   out += ":" + std::to_string(port);
   if (!suffix.empty())
      out += ":" + suffix;
   return out;
}

result<endpoint_spec> parse_endpoint(std::string_view s) {
   endpoint_spec e;
   std::string_view rest = s;
   if (!rest.empty() && rest.front() == '[') { // [ipv6]:port
      auto close = rest.find(']');
      if (close == std::string_view::npos)
         return unexpected{fmt::format("\"{}\": unterminated [", s)};
      e.host = std::string(rest.substr(1, close - 1));
      rest.remove_prefix(close + 1);
      if (rest.empty() || rest.front() != ':')
         return unexpected{fmt::format("\"{}\": expected host:port", s)};
      rest.remove_prefix(1);
   } else {
      auto colon = rest.find(':');
      if (colon == std::string_view::npos)
         return unexpected{fmt::format("\"{}\": expected host:port", s)};
      e.host = std::string(rest.substr(0, colon));
      rest.remove_prefix(colon + 1);
   }
   if (e.host.empty())
      return unexpected{fmt::format("\"{}\": empty host", s)};
   auto colon = rest.find(':');
   std::string_view port = rest.substr(0, colon);
   unsigned p = 0;
   auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
   if (ec != std::errc{} || ptr != port.data() + port.size() || p > 65535)
      return unexpected{fmt::format("\"{}\": bad port \"{}\"", s, port)};
   e.port = static_cast<uint16_t>(p);
   if (colon != std::string_view::npos)
      e.suffix = std::string(rest.substr(colon + 1));
   return e;
}

result<uint64_t> parse_rate_limit(std::string_view s) {
   if (s.empty() || s == "0")
      return uint64_t{0};
   std::size_t i = 0;
   while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
      ++i;
   double value = 0;
   try {
      std::size_t used = 0;
      value = std::stod(std::string(s.substr(0, i)), &used);
      if (used != i)
         throw std::invalid_argument("number");
   } catch (const std::exception&) {
      return unexpected{fmt::format("rate cap \"{}\": expected a number and a unit such as 640KiB/s", s)};
   }
   auto unit = s.substr(i);
   while (!unit.empty() && unit.front() == ' ')
      unit.remove_prefix(1);
   static constexpr std::pair<std::string_view, double> units[] = {
      {"B/s", 1},         {"KB/s", 1e3},          {"KiB/s", 1024.0},     {"MB/s", 1e6},         {"MiB/s", 1048576.0},
      {"GB/s", 1e9},      {"GiB/s", 1073741824.0}, {"TB/s", 1e12},         {"TiB/s", 1099511627776.0}};
   for (const auto& [u, mult] : units)
      if (unit == u) {
         const double bytes = value * mult;
         if (bytes < 1 || bytes > 1e15)
            return unexpected{fmt::format("rate cap \"{}\": out of range", s)};
         return static_cast<uint64_t>(bytes);
      }
   return unexpected{fmt::format("rate cap \"{}\": unknown unit \"{}\" (B/s, KB/s, KiB/s, MB/s, MiB/s, GB/s, GiB/s, TB/s, TiB/s)", s, unit)};
}

void add_node_options(CLI::App& app, node_config& c) {
   auto& r = c.raw;
   app.add_option("--config-file", c.config_file, "config.ini to read (default: <data-dir>/config.ini if present)");
   app.add_option("--p2p-listen-endpoint", r.listen, "host:port[:rate-cap] to listen on (repeatable)")
      ->default_str("0.0.0.0:9876:0");
   app.add_option("--p2p-server-address", c.p2p_server_address, "externally reachable host:port advertised in handshakes (repeatable)");
   app.add_option("--p2p-peer-address", r.peer, "peer host:port[:trx|:blk] to connect to (repeatable)");
   app.add_option("--p2p-max-nodes-per-host", c.p2p_max_nodes_per_host, "maximum inbound connections from one IP")->capture_default_str();
   app.add_option("--p2p-accept-transactions", c.p2p_accept_transactions, "accept and relay transactions from peers")->capture_default_str();
   app.add_option("--p2p-auto-bp-peer", r.auto_bp, "account,host:port of a block producer peer (repeatable)");
   app.add_option("--p2p-bp-gossip-endpoint", r.bp_gossip,
                  "bp_account,inbound_endpoint,outbound_ip_address: the producer this node gossips for, the "
                  "host:port other producers connect to, the IP it connects from (repeatable, up to 8 per "
                  "account; the account's block-signing key must be a --signature-provider)");
   app.add_option("--agent-name", c.agent_name, "name advertised in handshakes")->capture_default_str();
   app.add_option("--allowed-connection", r.allowed, "any, producers, specified or none (repeatable; producers+specified combine)");
   app.add_option("--peer-key", r.peer_key, "public key of a peer allowed to connect (repeatable)");
   // A callback per value: a plain vector option would split the JSON pair at its comma.
   app.add_option_function<std::string>(
         "--peer-private-key", [&r](const std::string& v) { r.peer_private_key.push_back(v); },
         "[\"PUBLIC\",\"PRIVATE\"] this node authenticates with (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->trigger_on_parse();
   app.add_option("--max-clients", c.max_clients, "maximum inbound clients (0 = no limit)")->capture_default_str();
   app.add_option("--connection-cleanup-period", r.cleanup_period_s, "seconds between connection checks and reconnects")->capture_default_str();
   app.add_option("--max-cleanup-time-msec", r.max_cleanup_ms, "milliseconds one connection check may take")->capture_default_str();
   app.add_option("--p2p-dedup-cache-expire-time-sec", r.dedup_expire_s, "seconds a relayed transaction id is remembered at most")->capture_default_str();
   app.add_option("--p2p-disable-block-nack", c.p2p_disable_block_nack,
                  "Disable block notice and block nack (protocol 10): every block received is relayed to every "
                  "peer that does not have it")
      ->capture_default_str();
   app.add_option("--net-threads", c.net_threads, "network threads (this node runs its network on one thread; kept for nodeos compatibility)")->capture_default_str();
   app.add_option("--sync-fetch-span", c.sync_fetch_span, "blocks per sync_request chunk")->capture_default_str();
   app.add_option("--sync-peer-limit", c.sync_peer_limit, "lowest-latency peers to sync from")->capture_default_str();
   app.add_option("--use-socket-read-watermark", c.use_socket_read_watermark, "accepted for nodeos compatibility")->capture_default_str();
   app.add_option("--peer-log-format", c.peer_log_format, "prefix of per-connection log lines")->capture_default_str();
   app.add_option("--p2p-keepalive-interval-ms", r.keepalive_ms, "keepalive interval; heartbeat timeout is twice this")->capture_default_str();
   cli::add_data_dir_option(app, c.data_dir)->required();
   app.add_option("--genesis-json", c.genesis_json, "nodeos genesis.json for a new data dir (default: the devnet genesis)");
   app.add_option("--producer-name,-p", r.producer, "producer this node produces for (repeatable)");
   app.add_option("--signature-provider", r.signature_provider,
                  "PUBLIC=KEY:PRIVATE signing key, K1 (block signing) or BLS (PUB_BLS_=KEY:PVT_BLS_, a finalizer) (repeatable)");
   app.add_option("--finalizers-dir", c.finalizers_dir,
                  "directory of the finalizer safety file safety.dat (relative: under the data dir)")
      ->capture_default_str();
   app.add_flag("--project-action-mroots", c.project_action_mroots,
                "every producer of this chain is p2pnode (the devnet): keep the Savanna finality tree, check every "
                "finality mroot, and allow Savanna production");
   app.add_option("--producer-schedule", r.producer_schedule,
                  "NAME=PUBLIC entry of the schedule to propose, in order (repeatable; replaces setprods)");
   app.add_flag("--enable-stale-production,-e", c.enable_stale_production, "produce even when the head is not recent");
   app.add_flag("--replay-blockchain", c.replay_blockchain,
                "rebuild the chain state by replaying every block of the data dir's store with full validation, then run");
   app.add_option("--control-socket", c.control_socket, "Unix socket path (default <data-dir>/p2pnode.sock)");
   app.add_option("--resource-monitor-interval-seconds", r.monitor_interval_s,
                  "seconds between checks of the free space of the data dir's filesystem")
      ->capture_default_str()
      ->check(CLI::Range(1, 300));
   app.add_option("--resource-monitor-space-threshold", c.space.threshold_percent,
                  "percentage of the data dir's filesystem used above which the node stops accepting and producing "
                  "blocks (it resumes when space is freed; nodeos shuts down instead)")
      ->capture_default_str()
      ->check(CLI::Range(6, 99));
   app.add_option("--resource-monitor-space-absolute-gb", r.space_absolute_gb,
                  "free space in GiB below which the node stops accepting and producing blocks; overrides "
                  "resource-monitor-space-threshold")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 20));
   app.add_option("--clock-offset-ms", r.clock_offset_ms,
                  "milliseconds added to the system clock for everything this node times (production, block "
                  "timestamps, the future-block check, the log): a skewed clock, for testing")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{-3600000}, int64_t{3600000}));
   cli::add_log_level_option(app, c.log_level);
   app.add_option("--network-version", c.network_version,
                  "network_version advertised: 1212 (Leap 5, proto 7) .. 1217 (proto 12); each peer gets only "
                  "the messages the lower of the two versions allows")
      ->capture_default_str()
      ->check(CLI::Range(proto::min_node_network_version, proto::max_node_network_version));
}

void write_default_config_ini(const CLI::App& app, std::ostream& out) {
   out << "# p2pnode configuration, nodeos's config.ini form: one \"name = value\" per line, the name of a\n"
          "# command-line option without its dashes; repeat the line for an option given several times.\n"
          "# Each option below is commented out at its default. The command line replaces every line of\n"
          "# an option it gives. Written by `p2pnode --print-default-config` (p2pnode(1)).\n";
   static constexpr std::string_view left_out[] = {"help", "version", "data-dir", "config-file", "print-default-config"};
   for (const CLI::Option* opt : app.get_options()) {
      if (opt->get_lnames().empty())
         continue;
      const std::string& name = opt->get_lnames().front();
      if (std::find(std::begin(left_out), std::end(left_out), name) != std::end(left_out))
         continue;
      std::string value = opt->get_expected_max() == 0 ? "false" : opt->get_default_str(); // a flag: false
      if (opt->get_type_name() == "BOOLEAN")
         value = value == "1" ? "true" : value == "0" ? "false" : value;
      // read_config_ini trims a value and removes surrounding double quotes: quote one that
      // starts or ends with a space.
      if (!value.empty() && (value.front() == ' ' || value.back() == ' '))
         value = "\"" + value + "\"";
      std::string help = opt->get_description();
      for (std::size_t at = 0; (at = help.find('\n', at)) != std::string::npos; at += 3)
         help.replace(at, 1, "\n# ");
      out << "\n# " << help << '\n' << "# " << name << " =" << (value.empty() ? "" : " ") << value << '\n';
   }
}

result<std::vector<std::pair<std::string, std::string>>> read_config_ini(const std::string& path) {
   auto text = read_regular_file(path, max_config_ini_bytes);
   if (!text)
      return unexpected{text.error()};
   std::istringstream in(*text);
   std::vector<std::pair<std::string, std::string>> out;
   std::string line;
   auto trim = [](std::string s) {
      auto b = s.find_first_not_of(" \t\r");
      auto e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
   };
   for (int n = 1; std::getline(in, line); ++n) {
      line = trim(line);
      if (line.empty() || line[0] == '#' || line[0] == ';')
         continue;
      auto eq = line.find('=');
      if (eq == std::string::npos)
         return unexpected{fmt::format("{}:{}: expected name = value", path, n)};
      std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
      if (key.empty())
         return unexpected{fmt::format("{}:{}: empty option name", path, n)};
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
         value = value.substr(1, value.size() - 2);
      out.emplace_back(std::move(key), std::move(value));
   }
   return out;
}

std::vector<std::string> merge_config_args(const std::vector<std::pair<std::string, std::string>>& ini,
                                           const std::vector<std::string>& cli) {
   auto on_cli = [&](const std::string& key) {
      const std::string opt = "--" + key;
      for (const auto& a : cli)
         if (a == opt || a.starts_with(opt + "="))
            return true;
      return false;
   };
   std::vector<std::string> out;
   for (const auto& [k, v] : ini)
      // An entry with no value is left out: `--name=` would make CLI11 take the next argument (the
      // next entry) as the value.
      if (!v.empty() && !on_cli(k))
         out.push_back("--" + k + "=" + v);
   out.insert(out.end(), cli.begin(), cli.end());
   return out;
}

namespace {
template <class T>
result<T> parse_key(std::string_view opt, std::string_view s) {
   auto k = T::from_string(s);
   if (!k)
      return unexpected{fmt::format("--{}: {}", opt, k.error())};
   return *k;
}

using k1_key_pair = std::pair<public_key, private_key>;
using bls_key_pair = std::pair<bls::public_key, bls::private_key>;

/// One --signature-provider value, PUBLIC=KEY:PRIVATE, as nodeos's producer plugin reads it: a
/// K1 pair (a block signing key), or a BLS pair (PUB_BLS_…=KEY:PVT_BLS_…, a finalizer key).
result<std::variant<k1_key_pair, bls_key_pair>> parse_signature_provider(std::string_view s) {
   const auto eq = s.find('=');
   const auto colon = s.find(':', eq == std::string_view::npos ? 0 : eq);
   if (eq == std::string_view::npos || colon == std::string_view::npos || s.substr(eq + 1, colon - eq - 1) != "KEY")
      return unexpected{std::string("--signature-provider: expected PUBLIC=KEY:PRIVATE")};
   const auto pub_text = s.substr(0, eq);
   const auto prv_text = s.substr(colon + 1);
   const bool bls_pub = pub_text.starts_with("PUB_BLS_");
   if (bls_pub != prv_text.starts_with("PVT_BLS_"))
      return unexpected{fmt::format("--signature-provider: {} with a {} private key: a BLS public key (PUB_BLS_) pairs "
                                    "with a BLS private key (PVT_BLS_), a K1 one with a K1 one",
                                    bls_pub ? "a BLS public key" : "a K1 public key", bls_pub ? "K1" : "BLS")};
   if (bls_pub) {
      auto pub = parse_key<bls::public_key>("signature-provider", pub_text);
      if (!pub)
         return unexpected{pub.error()};
      auto prv = parse_key<bls::private_key>("signature-provider", prv_text);
      if (!prv)
         return unexpected{prv.error()};
      if (prv->get_public_key() != *pub)
         return unexpected{fmt::format("--signature-provider: the private key does not match {}", pub->to_string())};
      return std::variant<k1_key_pair, bls_key_pair>(bls_key_pair{*pub, *prv});
   }
   auto pub = parse_key<public_key>("signature-provider", pub_text);
   if (!pub)
      return unexpected{pub.error()};
   auto prv = parse_key<private_key>("signature-provider", prv_text);
   if (!prv)
      return unexpected{prv.error()};
   if (prv->get_public_key() != *pub)
      return unexpected{fmt::format("--signature-provider: the private key does not match {}", pub->to_string())};
   return std::variant<k1_key_pair, bls_key_pair>(k1_key_pair{*pub, *prv});
}
} // namespace

result<bool> finish_config(CLI::App&, node_config& c) {
   auto& r = c.raw;
   c.p2p_listen_endpoint.clear();
   if (r.listen.empty())
      r.listen.push_back("0.0.0.0:9876:0");
   for (const auto& s : r.listen) {
      auto e = parse_endpoint(s);
      if (!e)
         return unexpected{fmt::format("--p2p-listen-endpoint {}", e.error())};
      if (auto rate = parse_rate_limit(e->suffix); !rate)
         return unexpected{fmt::format("--p2p-listen-endpoint {}", rate.error())};
      c.p2p_listen_endpoint.push_back(*e);
   }
   if (c.p2p_server_address.size() > c.p2p_listen_endpoint.size())
      return unexpected{std::string("--p2p-server-address: more addresses than listen endpoints")};
   for (const auto& s : c.p2p_server_address)
      if (auto e = parse_endpoint(s); !e)
         return unexpected{fmt::format("--p2p-server-address {}", e.error())};
   c.p2p_peer_address.clear();
   for (const auto& s : r.peer) {
      auto e = parse_endpoint(s);
      if (!e)
         return unexpected{fmt::format("--p2p-peer-address {}", e.error())};
      if (!e->suffix.empty() && e->suffix != "trx" && e->suffix != "blk")
         return unexpected{fmt::format("--p2p-peer-address \"{}\": suffix must be trx or blk", s)};
      c.p2p_peer_address.push_back(*e);
   }
   c.p2p_auto_bp_peer.clear();
   for (const auto& s : r.auto_bp) {
      auto comma = s.find(',');
      if (comma == std::string::npos)
         return unexpected{fmt::format("--p2p-auto-bp-peer \"{}\": expected account,host:port", s)};
      auto n = name::from_string(s.substr(0, comma));
      if (!n)
         return unexpected{fmt::format("--p2p-auto-bp-peer: {}", n.error())};
      auto e = parse_endpoint(s.substr(comma + 1));
      if (!e)
         return unexpected{fmt::format("--p2p-auto-bp-peer {}", e.error())};
      c.p2p_auto_bp_peer.emplace_back(*n, *e);
   }
   if (c.agent_name.size() > 384)
      return unexpected{std::string("--agent-name: longer than 384 characters")};
   if (!r.allowed.empty()) {
      uint8_t mask = 0;
      for (const auto& s : r.allowed) {
         if (s == "any")
            mask |= uint8_t(allowed_connection::any);
         else if (s == "producers")
            mask |= uint8_t(allowed_connection::producers);
         else if (s == "specified")
            mask |= uint8_t(allowed_connection::specified);
         else if (s == "none")
            mask = 0;
         else
            return unexpected{fmt::format("--allowed-connection \"{}\": expected any, producers, specified or none", s)};
      }
      if ((mask & uint8_t(allowed_connection::any)) && mask != uint8_t(allowed_connection::any))
         return unexpected{std::string("--allowed-connection: any cannot be combined with other modes")};
      c.allowed_connection_mask = mask;
   }
   c.peer_key.clear();
   for (const auto& s : r.peer_key) {
      auto k = parse_key<public_key>("peer-key", s);
      if (!k)
         return unexpected{k.error()};
      c.peer_key.push_back(*k);
   }
   if ((c.allowed_connection_mask & uint8_t(allowed_connection::specified)) && c.peer_key.empty())
      return unexpected{std::string("--allowed-connection specified needs at least one --peer-key")};
   c.peer_private_key.clear();
   for (const auto& s : r.peer_private_key) {
      rapidjson::Document d;
      d.Parse(s.c_str(), s.size());
      if (d.HasParseError() || !d.IsArray() || d.Size() != 2 || !d[0].IsString() || !d[1].IsString())
         return unexpected{std::string("--peer-private-key: expected [\"PUBLIC\",\"PRIVATE\"]")};
      auto pub = parse_key<public_key>("peer-private-key", d[0].GetString());
      auto prv = parse_key<private_key>("peer-private-key", d[1].GetString());
      if (!pub)
         return unexpected{pub.error()};
      if (!prv)
         return unexpected{prv.error()};
      if (prv->get_public_key() != *pub)
         return unexpected{fmt::format("--peer-private-key: the private key does not match {}", pub->to_string())};
      c.peer_private_key.emplace_back(*pub, *prv);
   }
   c.producer_name.clear();
   for (const auto& s : r.producer) {
      auto n = name::from_string(s);
      if (!n)
         return unexpected{fmt::format("--producer-name: {}", n.error())};
      c.producer_name.push_back(*n);
   }
   c.signature_provider.clear();
   c.finalizer_keys.clear();
   for (const auto& s : r.signature_provider) {
      auto pair = parse_signature_provider(s);
      if (!pair)
         return unexpected{pair.error()};
      if (auto* k1 = std::get_if<k1_key_pair>(&*pair)) {
         c.signature_provider.push_back(std::move(*k1));
         continue;
      }
      auto& bls_pair = std::get<bls_key_pair>(*pair);
      for (const auto& [existing, k] : c.finalizer_keys)
         if (existing == bls_pair.first)
            return unexpected{fmt::format("--signature-provider: {} appears twice", existing.to_string())};
      c.finalizer_keys.push_back(std::move(bls_pair));
   }
   c.p2p_bp_gossip_endpoint.clear();
   for (const auto& s : r.bp_gossip) {
      auto e = parse_bp_gossip_endpoint(s);
      if (!e)
         return unexpected{fmt::format("--{}", e.error())};
      c.p2p_bp_gossip_endpoint.push_back(std::move(*e));
   }
   if (auto err = check_bp_gossip_endpoints(c.p2p_bp_gossip_endpoint))
      return unexpected{fmt::format("--p2p-bp-gossip-endpoint: {}", *err)};
   if (!c.p2p_bp_gossip_endpoint.empty() && c.signature_provider.empty())
      return unexpected{std::string("--p2p-bp-gossip-endpoint needs a --signature-provider with the producer's key")};
   c.producer_schedule.clear();
   for (const auto& s : r.producer_schedule) {
      auto eq = s.find('=');
      if (eq == std::string::npos)
         return unexpected{fmt::format("--producer-schedule \"{}\": expected NAME=PUBLIC", s)};
      auto n = name::from_string(s.substr(0, eq));
      if (!n || n->empty())
         return unexpected{fmt::format("--producer-schedule \"{}\": bad producer name", s)};
      auto pub = parse_key<public_key>("producer-schedule", s.substr(eq + 1));
      if (!pub)
         return unexpected{pub.error()};
      for (const auto& [existing, k] : c.producer_schedule)
         if (existing == *n)
            return unexpected{fmt::format("--producer-schedule: {} appears twice", n->to_string())};
      c.producer_schedule.emplace_back(*n, *pub);
   }
   if (c.producer_schedule.size() > 125)
      return unexpected{std::string("--producer-schedule: at most 125 producers")};
   if (r.keepalive_ms == 0)
      return unexpected{std::string("--p2p-keepalive-interval-ms must be positive")};
   if (c.sync_fetch_span == 0)
      return unexpected{std::string("--sync-fetch-span must be positive")};
   if (c.sync_peer_limit == 0)
      return unexpected{std::string("--sync-peer-limit must be positive")};
   if (r.cleanup_period_s == 0)
      return unexpected{std::string("--connection-cleanup-period must be positive")};
   c.connection_cleanup_period = std::chrono::seconds(r.cleanup_period_s);
   c.max_cleanup_time = std::chrono::milliseconds(r.max_cleanup_ms);
   c.p2p_dedup_cache_expire_time = std::chrono::seconds(r.dedup_expire_s);
   c.p2p_keepalive_interval = std::chrono::milliseconds(r.keepalive_ms);
   c.resource_monitor_interval = std::chrono::seconds(r.monitor_interval_s);
   c.clock_offset = std::chrono::milliseconds(r.clock_offset_ms);
   c.space.absolute_bytes = r.space_absolute_gb << 30;
   if (c.control_socket.empty())
      c.control_socket = (std::filesystem::path(c.data_dir) / "p2pnode.sock").string();
   c.genesis.reset();
   if (!c.genesis_json.empty()) {
      auto g = read_genesis_json(c.genesis_json);
      if (!g)
         return unexpected{fmt::format("--genesis-json {}", g.error())};
      c.genesis = std::move(*g);
   }
   return true;
}

} // namespace core
