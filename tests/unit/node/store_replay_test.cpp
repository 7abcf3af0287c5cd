// p2pnode --replay-blockchain: the store rebuilt from its own blocks, a failing block leaving the
// store as it was, an interrupted replay resumed (and refused by a node opened without the flag).
#include "node/node.hpp"
#include "net/node_log.hpp"
#include "node/store_replay.hpp"

#include "store/rocksdb_chain_store.hpp"

#include "../store/temp_dir.hpp"
#include "../store/test_chain.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

using namespace core;
using namespace core::test;

namespace {

/// A store at `path` with blocks 1..10 irreversible and 11..12 reversible; `tamper` may replace
/// any block before it is written (the store does not validate).
std::vector<block_state_ptr> write_store(const std::filesystem::path& path,
                                         const std::function<void(std::vector<block_state_ptr>&)>& tamper = {}) {
   auto chain = make_chain(12);
   if (tamper)
      tamper(chain);
   auto s = rocksdb_chain_store::open(path);
   REQUIRE(s);
   REQUIRE((*s)->initialize(dev_metadata(), *chain[0]));
   REQUIRE((*s)->commit_lib(commit_range(chain, 2, 10)));
   (*s)->put_reversible(*chain[10]);
   (*s)->put_reversible(*chain[11]);
   return chain;
}

} // namespace

TEST_CASE("store_replay: the store is rebuilt from its own blocks", "[node]") {
   temp_dir dir;
   const auto path = dir.path / "chain";
   auto chain = write_store(path);
   std::ostringstream out;
   node_log log(out);
   auto r = replay_store(path, std::nullopt, log);
   INFO(out.str());
   REQUIRE(r);
   CHECK(r->blocks == 11);
   CHECK(r->head == 12);
   CHECK(r->lib >= 10); // what was irreversible stays so
   CHECK(out.str().find("replayed 11 blocks") != std::string::npos);
   CHECK_FALSE(replay_leftover(path));
   auto s = rocksdb_chain_store::open(path, store_open_mode::read_only);
   REQUIRE(s);
   CHECK((*s)->lib_num() == r->lib);
   for (uint32_t n = 1; n <= r->lib; ++n)
      CHECK((*s)->id_by_num(n) == std::optional(chain[n - 1]->id()));
   CHECK((*s)->verify_integrity());
}

TEST_CASE("store_replay: a block that fails validation leaves the store as it was", "[node]") {
   temp_dir dir;
   const auto path = dir.path / "chain";
   // Block 6 carries block 7's producer signature: a valid signature over another digest.
   auto chain = write_store(path, [](std::vector<block_state_ptr>& c) {
      auto forged = std::make_shared<block_state>(*c[5]);
      auto b = std::make_shared<signed_block>(*c[5]->block);
      b->producer_signature = c[6]->block->producer_signature;
      forged->block = b;
      c[5] = forged;
   });
   std::ostringstream out;
   node_log log(out);
   auto r = replay_store(path, std::nullopt, log);
   REQUIRE_FALSE(r);
   INFO(r.error());
   CHECK(r.error().find("store is unchanged") != std::string::npos);
   CHECK(r.error().find("block 6") != std::string::npos);
   CHECK_FALSE(replay_leftover(path));
   auto s = rocksdb_chain_store::open(path, store_open_mode::read_only);
   REQUIRE(s);
   CHECK((*s)->lib_num() == 10);
   CHECK((*s)->block_by_num(6)->producer_signature == chain[6]->block->producer_signature);
   CHECK((*s)->load_reversible().size() == 2);
}

TEST_CASE("store_replay: an interrupted replay is resumed, and a node without the flag refuses to start", "[node]") {
   temp_dir dir;
   const auto data = dir.path / "data";
   const auto path = data / "chain";
   std::filesystem::create_directories(data);
   write_store(path);
   // What kill -9 during a replay leaves: the source moved aside, a partial store in its place.
   std::filesystem::rename(path, data / "chain.replay");
   std::filesystem::create_directories(path);
   std::ofstream(path / "partial") << "partial";
   REQUIRE(replay_leftover(path));

   std::ostringstream out;
   node_config cfg;
   cfg.data_dir = data.string();
   cfg.control_socket = (dir.path / "ctl.sock").string();
   cfg.p2p_listen_endpoint.push_back(endpoint_spec{"127.0.0.1", 0, ""});
   auto refused = node::open(cfg, out);
   REQUIRE_FALSE(refused);
   CHECK(refused.error().find("--replay-blockchain") != std::string::npos);

   node_log log(out);
   auto r = replay_store(path, std::nullopt, log);
   INFO(out.str());
   REQUIRE(r);
   CHECK(r->head == 12);
   CHECK(out.str().find("resuming an interrupted replay") != std::string::npos);
   CHECK_FALSE(replay_leftover(path));
   CHECK_FALSE(std::filesystem::exists(path / "partial"));
}

TEST_CASE("store_replay: nothing to replay, or another chain's genesis, is a clear error", "[node]") {
   temp_dir dir;
   std::ostringstream out;
   node_log log(out);
   auto none = replay_store(dir.path / "chain", std::nullopt, log);
   REQUIRE_FALSE(none);
   CHECK(none.error().find("nothing to replay") != std::string::npos);

   write_store(dir.path / "chain");
   genesis_state other = dev_genesis();
   other.initial_configuration.max_transaction_lifetime += 1;
   auto wrong = replay_store(dir.path / "chain", other, log);
   REQUIRE_FALSE(wrong);
   CHECK(wrong.error().find("genesis") != std::string::npos);
   CHECK(rocksdb_chain_store::open(dir.path / "chain", store_open_mode::read_only)); // put back
}

TEST_CASE("store_replay: a store another instance holds is refused and left in place", "[node]") {
   temp_dir dir;
   const auto path = dir.path / "chain";
   write_store(path);
   auto holder = rocksdb_chain_store::open(path); // as a running node holds it
   REQUIRE(holder);
   std::ostringstream out;
   node_log log(out);
   auto r = replay_store(path, std::nullopt, log);
   REQUIRE_FALSE(r);
   INFO(r.error());
   CHECK(r.error().find(fmt::format("in use by another process (pid {})", ::getpid())) != std::string::npos);
   CHECK_FALSE(replay_leftover(path));
   CHECK((*holder)->lib_num() == 10);
}
