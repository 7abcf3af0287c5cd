#pragma once
/// p2pnode's configuration: every net_plugin option of Leap 5 (PROTOCOL.md §10) under the same
/// name, plus the node's own. Read from the command line and config.ini (nodeos's INI form,
/// `name = value`, repeated lines for multi-value options); the command line wins.
#include "codec/result.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/private_key.hpp"
#include "crypto/public_key.hpp"
#include "net/bp_gossip.hpp"
#include "net/handshake_checks.hpp"
#include "node/space_monitor.hpp"
#include "types/genesis.hpp"
#include "types/name.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace core {

/// host:port[:suffix] as nodeos writes endpoints.
struct endpoint_spec {
   std::string host;
   uint16_t port = 0;
   std::string suffix; ///< listen: rate cap ("0", "640KiB/s"); peer: "trx" / "blk" / ""
   std::string to_string() const;
};

struct node_config {
   // ---- net_plugin (same names, same defaults as Leap 5.0.3) ----
   std::vector<endpoint_spec> p2p_listen_endpoint;  ///< default 0.0.0.0:9876:0
   std::vector<std::string> p2p_server_address;
   std::vector<endpoint_spec> p2p_peer_address;
   uint32_t p2p_max_nodes_per_host = 1;
   bool p2p_accept_transactions = true;
   std::vector<std::pair<name, endpoint_spec>> p2p_auto_bp_peer;
   /// p2p-bp-gossip-endpoint (Spring 1.2): bp_account,inbound_endpoint,outbound_ip_address.
   std::vector<bp_gossip_endpoint> p2p_bp_gossip_endpoint;
   std::string agent_name = "EOS Test Agent";
   uint8_t allowed_connection_mask = static_cast<uint8_t>(allowed_connection::any);
   std::vector<public_key> peer_key;
   std::vector<std::pair<public_key, private_key>> peer_private_key;
   uint32_t max_clients = 25;
   std::chrono::seconds connection_cleanup_period{30};
   std::chrono::milliseconds max_cleanup_time{10};
   std::chrono::seconds p2p_dedup_cache_expire_time{10};
   bool p2p_disable_block_nack = false; ///< Spring's p2p-disable-block-nack
   uint32_t net_threads = 4;
   uint32_t sync_fetch_span = 1000;
   uint32_t sync_peer_limit = 3;
   bool use_socket_read_watermark = false;
   std::string peer_log_format = "[\"${_name}\" - ${_cid} ${_ip}:${_port}] ";
   std::chrono::milliseconds p2p_keepalive_interval{10000};

   // ---- the node ----
   std::string data_dir;
   std::string genesis_json;                ///< path; empty: the store's, else the devnet genesis
   /// The genesis_json file's content, read by finish_config (node::open reads genesis_json
   /// itself when this is empty).
   std::optional<genesis_state> genesis;
   std::vector<name> producer_name;
   std::vector<std::pair<public_key, private_key>> signature_provider; ///< PUB=KEY:PRIVATE (K1)
   /// The --signature-provider values with BLS keys (PUB_BLS_…=KEY:PVT_BLS_…): this node's
   /// finalizers, which vote on Savanna blocks whose finalizer policy names them.
   std::vector<std::pair<bls::public_key, bls::private_key>> finalizer_keys;
   bool enable_stale_production = false;
   /// Where the finalizer safety file (safety.dat) lives; a relative path is under data_dir,
   /// as nodeos's --finalizers-dir.
   std::string finalizers_dir = "finalizers";
   /// controller_config::project_action_mroots: every producer of this chain is p2pnode.
   bool project_action_mroots = false;
   /// --replay-blockchain: rebuild the store from its own blocks before starting (store_replay).
   bool replay_blockchain = false;
   /// The schedule this node's producers propose through new_producers (the bootstrap producer
   /// handing over to N producers); nodeos does this with eosio::setprods, which needs contracts.
   std::vector<std::pair<name, public_key>> producer_schedule;
   std::string control_socket;              ///< default <data-dir>/p2pnode.sock
   std::string log_level = "info";          ///< debug, info, warn, error
   uint16_t network_version = proto::spring_network_version; ///< 1216, Spring 1.2 (1212..1217)
   std::string config_file;                 ///< default <data-dir>/config.ini when it exists
   // ---- resource_monitor_plugin (same names and bounds as nodeos; p2pnode pauses, see space_monitor.hpp) ----
   space_limits space;
   std::chrono::seconds resource_monitor_interval{2};
   /// Added to the system clock for everything this node times (production slots, block
   /// timestamps, the future-block check, the log): a skewed clock, for tests (chaos.sh).
   std::chrono::milliseconds clock_offset{0};

   /// Option values as given, before finish_config parses them into the fields above.
   struct raw_values {
      std::vector<std::string> listen, peer, auto_bp, bp_gossip, allowed, peer_key, peer_private_key, producer,
         signature_provider, producer_schedule;
      uint32_t cleanup_period_s = 30, max_cleanup_ms = 10, dedup_expire_s = 10, keepalive_ms = 10000;
      uint32_t monitor_interval_s = 2;
      int64_t clock_offset_ms = 0;
      uint64_t space_absolute_gb = 0;
   } raw;
};

/// Registers every option on `app`, binding them to `cfg` (raw strings are validated by
/// finish_config). Also registers --config-file.
void add_node_options(CLI::App& app, node_config& cfg);

/// Writes a config.ini in nodeos's commented form from `app`'s options (registered by
/// add_node_options): each option's help as a comment, then `# name = default` (empty when it has
/// none). --data-dir and --config-file, which say where config.ini is, and the informational
/// flags are left out.
void write_default_config_ini(const CLI::App& app, std::ostream& out);

/// Largest config.ini read (nodeos's, every option commented, is about 40 KiB).
inline constexpr std::size_t max_config_ini_bytes = 4u << 20;

/// Reads a nodeos-style config.ini: `name = value` lines (repeat a name for several values),
/// `#` comments, blank lines; surrounding double quotes on a value are removed. A path that is
/// not a readable regular file (missing, a directory, a FIFO) is an error.
result<std::vector<std::pair<std::string, std::string>>> read_config_ini(const std::string& path);

/// The argument list to parse: `--name=value` for each config.ini entry whose option is not
/// given on the command line, followed by the command-line arguments (so the command line wins).
/// An entry with an empty value (`name =`, as the default config.ini lists an option with no
/// default) is left out: the option keeps its default.
std::vector<std::string> merge_config_args(const std::vector<std::pair<std::string, std::string>>& ini,
                                           const std::vector<std::string>& cli_args);

/// Parses what the options left as strings, checks every value and reads --genesis-json;
/// returns one line naming the option and what is wrong (the caller exits 2).
result<bool> finish_config(CLI::App& app, node_config& cfg);

/// A listen endpoint's block-sync rate cap as nodeos writes it: "0" (no cap) or a number with a
/// unit B/s, KB/s, KiB/s, MB/s, MiB/s, GB/s, GiB/s, TB/s, TiB/s (decimal units are powers of
/// 1000). Returns bytes per second (0 = unlimited).
result<uint64_t> parse_rate_limit(std::string_view s);

/// Parses `host:port[:suffix]`.
result<endpoint_spec> parse_endpoint(std::string_view s);

} // namespace core
