#include "devnet.hpp"

#include "support/test_keys.hpp"
#include "support/test_transactions.hpp"

#include "chain/block_producer.hpp"
#include "chain/clock.hpp"
#include "chain/controller.hpp"
#include "types/devnet.hpp"
#include "codec/codec.hpp"
#include "store/rocksdb_chain_store.hpp"
#include "types/block.hpp"

#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <set>

namespace it {

std::string devnet_chain_id_hex() { return core::devnet_genesis().compute_chain_id().to_string(); }

core::private_key producer_key(const std::string& name) {
   return name == "eosio" ? test::dev_key() : test::key_for(name);
}

std::string signature_provider(const core::private_key& k) {
   return k.get_public_key().to_string() + "=KEY:" + k.to_string();
}

void make_producer(node_process& node, const std::vector<std::string>& names, const std::vector<std::string>& schedule) {
   for (const auto& n : names) {
      node.set("producer-name", n);
      node.set("signature-provider", signature_provider(producer_key(n)));
      if (n == "eosio")
         node.set("enable-stale-production", "true");
   }
   for (const auto& s : schedule)
      node.set("producer-schedule", s + "=" + producer_key(s).get_public_key().to_string());
}

cluster::cluster(const std::string& test_name) : root_(test_name) {}

cluster::~cluster() {
   for (auto& n : nodes_)
      n->process().signal(SIGTERM);
   for (auto& n : nodes_)
      n->stop(std::chrono::seconds(5));
}

node_process& cluster::add(const std::string& name) {
   nodes_.push_back(std::make_unique<node_process>(root_.path(), name));
   return *nodes_.back();
}

std::vector<node_process*> cluster::all() {
   std::vector<node_process*> v;
   for (auto& n : nodes_)
      v.push_back(n.get());
   return v;
}

std::string cluster::logs(std::size_t lines) { return logs_of(all(), lines); }

void wait_for_handover(cluster& c, std::chrono::milliseconds within) {
   const auto nodes = c.all();
   std::set<std::string> seen;
   IT_WAIT_REQUIRE(c.logs(), within, [&] {
      for (auto* n : nodes)
         if (auto s = n->status())
            seen.insert(s->head_producer);
      return seen.count("proda") && seen.count("prodb") && seen.count("prodc");
   }());
}

void set_links(node_process& node, const std::vector<node_process*>& peers, bool connected) {
   for (auto* p : peers) {
      auto r = node.ctl({connected ? "connect" : "disconnect", p->endpoint()});
      INFO(node.name() << " " << (connected ? "connect " : "disconnect ") << p->name() << ": " << r.out << r.err);
      REQUIRE(r.rc == 0);
   }
}

bool converged(const std::vector<node_process*>& nodes, uint32_t at) {
   uint32_t lo = UINT32_MAX, hi = 0;
   std::optional<std::string> first;
   for (auto* n : nodes) {
      auto s = n->status();
      auto id = n->block_id(at);
      if (!s || !id || (first && *first != *id))
         return false;
      first = id;
      lo = std::min(lo, s->head_num);
      hi = std::max(hi, s->head_num);
   }
   return hi - lo <= 2;
}

void configure_devnet(cluster& c, bool handover) {
   while (c.size() < 3)
      c.add("node" + std::to_string(c.size() + 1));
   if (handover)
      make_producer(c[0], {"eosio", "proda"}, {"proda", "prodb", "prodc"});
   else
      make_producer(c[0], {"eosio"});
   make_producer(c[1], {"prodb"});
   make_producer(c[2], {"prodc"});
   c[1].set("p2p-peer-address", c[0].endpoint());
   c[2].set("p2p-peer-address", c[0].endpoint());
   c[2].set("p2p-peer-address", c[1].endpoint());
}

std::vector<std::optional<node_status>> statuses(const std::vector<node_process*>& nodes) {
   std::vector<std::optional<node_status>> v;
   for (auto* n : nodes)
      v.push_back(n->status());
   return v;
}

namespace {

/// eosio.token::transfer authorised by eosio@active, signed by the dev key, with `data` as its
/// action data and TAPoS to block (ref_num, ref_id).
core::packed_transaction make_transfer(const core::checksum256& chain_id, uint32_t ref_num,
                                       const core::block_id_type& ref_id, core::time_point_sec expiration,
                                       const std::string& data) {
   using core::operator""_n;
   return test::signed_transfer(chain_id, ref_num, ref_id, expiration, data, test::dev_key(), "eosio"_n);
}

} // namespace

core::genesis_state seed_genesis() { return test::dev_genesis(); }

std::vector<std::string> seed_chain(const std::filesystem::path& data_dir, uint32_t n, seed_transactions trx) {
   using core::operator""_n;
   std::filesystem::create_directories(data_dir);
   REQUIRE(core::write_genesis_json(seed_genesis(), data_dir / "genesis.json"));
   auto store = core::rocksdb_chain_store::open(data_dir / "chain");
   INFO((store ? "" : store.error()));
   REQUIRE(store);
   const auto genesis = seed_genesis();
   core::manual_chain_clock clock{genesis.initial_timestamp};
   core::controller_config cfg;
   cfg.genesis = genesis;
   cfg.signature_threads = 1;
   core::controller chain(**store, clock, cfg);
   auto opened = chain.open();
   INFO((opened ? "" : opened.error()));
   REQUIRE(opened);
   core::block_producer_config pc;
   pc.producers.push_back({"eosio"_n, test::dev_key()});
   pc.enable_stale_production = true;
   core::block_producer producer(chain, pc);
   std::vector<std::string> ids = {chain.head()->id().to_string()};
   for (uint32_t s = chain.head()->timestamp().slot + 1; ids.size() < n + 1; ++s) {
      const core::block_timestamp slot{s};
      clock.set(slot.to_time_point());
      const auto head = chain.head();
      for (uint32_t i = 0; chain.unapplied_transaction_count() < trx.per_block; ++i) {
         std::string data = "seed block " + std::to_string(head->block_num() + 1) + " trx " + std::to_string(i) + " ";
         data.resize(std::max(data.size(), trx.data_bytes), '.');
         const core::time_point_sec expiration{static_cast<uint32_t>(slot.to_time_point().us / 1'000'000 + 60)};
         auto pushed = chain.push_transaction(std::make_shared<const core::packed_transaction>(
            make_transfer(chain.chain_id(), head->block_num(), head->id(), expiration, data)));
         INFO(pushed.error);
         REQUIRE(pushed.accepted);
      }
      auto b = producer.on_slot(slot, clock.now());
      INFO((b ? "" : b.error()));
      REQUIRE(b);
      if (*b) {
         REQUIRE((*b)->block->transactions.size() == trx.per_block);
         ids.push_back((*b)->id().to_string());
      }
   }
   return ids;
}

core::packed_transaction make_test_transaction(const core::checksum256& chain_id, uint32_t ref_num,
                                               const std::string& ref_id_hex, const std::string& memo) {
   auto ref_id = core::block_id_type::from_string(ref_id_hex);
   REQUIRE(ref_id);
   const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
   return make_transfer(chain_id, ref_num, *ref_id, core::time_point_sec{static_cast<uint32_t>(now_s + 120)}, memo);
}

} // namespace it
