#pragma once
/// Building blocks for multi-node tests: producer keys, the three-node devnet the README's
/// devnet.sh runs, a pre-built chain in a data dir, and signed transactions.
#include "node_process.hpp"

#include "crypto/private_key.hpp"
#include "types/genesis.hpp"
#include "types/transaction.hpp"

#include <memory>
#include <string>
#include <vector>

namespace it {

/// The devnet chain id (core::devnet_genesis().compute_chain_id()) as hex.
std::string devnet_chain_id_hex();

/// The key a test producer `name` signs with: test::key_for(name), or the dev key for eosio.
core::private_key producer_key(const std::string& name);
/// "PUB=KEY:PRIV" for --signature-provider.
std::string signature_provider(const core::private_key& k);

/// Makes `node` produce for `names` (signature providers included). `schedule` non-empty: the
/// node proposes it (--producer-schedule NAME=PUB). eosio implies --enable-stale-production.
void make_producer(node_process& node, const std::vector<std::string>& names,
                   const std::vector<std::string>& schedule = {});

/// A set of nodes under one scratch root; stops them all (SIGTERM, then SIGKILL) at the end.
class cluster {
public:
   explicit cluster(const std::string& test_name);
   ~cluster();
   node_process& add(const std::string& name);
   node_process& operator[](std::size_t i) { return *nodes_.at(i); }
   std::size_t size() const { return nodes_.size(); }
   std::vector<node_process*> all();
   const std::filesystem::path& root() const { return root_.path(); }
   /// Tails of every node's log.
   std::string logs(std::size_t lines = 25);

private:
   scratch_root root_;
   std::vector<std::unique_ptr<node_process>> nodes_;
};

/// Configures the first three nodes of `c` (adding them when missing) as devnet.sh does:
/// node1 produces eosio (+ proda when handover), node2 prodb, node3 prodc; node2 peers node1,
/// node3 peers node1 and node2. handover: node1 proposes proda,prodb,prodc.
void configure_devnet(cluster& c, bool handover);

/// Waits until the nodes have shown proda, prodb and prodc as head producers between them (the
/// devnet's legacy hand-over, configure_devnet(c, true)); fails the test after `within`.
void wait_for_handover(cluster& c, std::chrono::milliseconds within = std::chrono::seconds(75));

/// Makes `node` drop (connected false) or dial again (true) its links to each of `peers`
/// (`p2pctl disconnect` / `connect`); fails the test if p2pctl refuses.
void set_links(node_process& node, const std::vector<node_process*>& peers, bool connected);

/// True when every node answers, their heads are within 2 blocks, and all have the same block
/// at height `at` (a split network has converged on one branch past it).
bool converged(const std::vector<node_process*>& nodes, uint32_t at);

/// Statuses of every node (nullopt entries where a node does not answer).
std::vector<std::optional<node_status>> statuses(const std::vector<node_process*>& nodes);

/// The genesis of seeded chains: test::dev_genesis() (2020-01-01, dev key).
core::genesis_state seed_genesis();
/// Transactions seed_chain puts in each block: `per_block` signed transfers whose action data is
/// `data_bytes` long (none by default: empty blocks).
struct seed_transactions {
   uint32_t per_block = 0;
   std::size_t data_bytes = 0;
};
/// Writes `n` blocks (2..n+1 produced by eosio in virtual time; LIB one behind the head) into
/// `data_dir`/chain, as the node's own store, and seed_genesis() as genesis.json in `data_dir`.
/// Returns the ids of blocks 1..head (index 0 = block 1).
std::vector<std::string> seed_chain(const std::filesystem::path& data_dir, uint32_t n, seed_transactions trx = {});

/// A transaction eosio.token::transfer authorised by eosio@active, signed by the dev key,
/// referencing block (ref_num, ref_id), expiring 120 s from now; `memo` makes it unique.
core::packed_transaction make_test_transaction(const core::checksum256& chain_id, uint32_t ref_num,
                                               const std::string& ref_id_hex, const std::string& memo);

} // namespace it
