// This node's finalizers: the safety file in Spring's format (written durably, read back,
// damage refused), and a controller that votes with its finalizer keys on each Savanna block it
// applies — the safety file holding each vote before the vote is emitted, its own votes
// aggregated into the QC the next block carries, and a restart from the file never casting a
// vote that conflicts with one cast before.
#include "chain/controller.hpp"
#include "chain/finalizer_set.hpp"
#include "chain/safety_file.hpp"

#include "crypto/bls/private_key.hpp"
#include "crypto/sha256.hpp"

#include "../store/temp_dir.hpp"
#include "support/test_keys.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <limits>
#include <memory>
#include <vector>

using namespace core;

namespace {

bls::private_key fin_key(std::size_t i) {
   const auto seed = sha256(fmt::format("finalizer.{}", i));
   auto k = bls::private_key::from_seed(seed.data);
   REQUIRE(k);
   return *k;
}

std::vector<finalizer_set::key_pair> key_pairs(std::size_t first, std::size_t n) {
   std::vector<finalizer_set::key_pair> out;
   for (std::size_t i = first; i < first + n; ++i)
      out.push_back({fin_key(i).get_public_key(), fin_key(i)});
   return out;
}

finalizer_policy policy_of(std::size_t n) {
   finalizer_policy p;
   for (std::size_t i = 0; i < n; ++i)
      p.finalizers.push_back({fmt::format("fin.{}", i), 1, fin_key(i).get_public_key()});
   p.threshold = n * 2 / 3 + 1;
   return p;
}

block_ref ref(uint8_t tag, uint32_t slot) {
   block_ref r;
   r.block_id.data[0] = tag;
   r.block_id.data[31] = 7;
   r.timestamp = block_timestamp{slot};
   r.finality_digest.data[5] = static_cast<uint8_t>(tag + 1);
   return r;
}

std::vector<uint8_t> read_bytes(const std::filesystem::path& p) {
   std::ifstream in(p, std::ios::binary);
   return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::filesystem::path& p, const std::vector<uint8_t>& b) {
   std::ofstream out(p, std::ios::binary | std::ios::trunc);
   out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

/// A producing controller in virtual time, switched to Savanna with `policy`.
struct savanna_node {
   memory_chain_store store;
   manual_chain_clock clock{::test::dev_genesis().initial_timestamp};
   std::unique_ptr<controller> chain;

   savanna_node() {
      controller_config cfg;
      cfg.genesis = ::test::dev_genesis();
      cfg.signature_threads = 1;
      cfg.project_action_mroots = true;
      chain = std::make_unique<controller>(store, clock, cfg);
      REQUIRE(chain->open());
   }
   block_state_ptr produce(controller::produce_options o = {}) {
      o.when = block_timestamp{chain->head()->timestamp().slot + 1};
      o.producer = "eosio"_n;
      clock.set(o.when.to_time_point());
      auto b = chain->produce_block(o, ::test::dev_key());
      if (!b)
         FAIL(b.error());
      return *b;
   }
   void switch_to_savanna(const finalizer_policy& p) {
      produce();
      controller::produce_options o;
      o.activate_savanna = p;
      REQUIRE(produce(o)->bhs.savanna);
   }
};

} // namespace

TEST_CASE("safety file: Spring's version 1 layout, read back as written", "[chain][finalizer]") {
   std::vector<safety_file_entry> entries{
      {fin_key(0).get_public_key(), {ref(1, 100), ref(2, 90), block_timestamp{95}}},
      {fin_key(1).get_public_key(), {ref(3, 101), ref(3, 101), block_timestamp{}}},
   };
   const auto bytes = encode_safety_file(entries);
   // magic, version, count, then per finalizer 97 + 2 * 68 + 4 bytes, then the CRC-32.
   REQUIRE(bytes.size() == 24 + 2 * (97 + 136 + 4) + 4);
   CHECK(bytes[0] == 0x11);
   CHECK(bytes[7] == 0x5A);
   CHECK(bytes[8] == 1);
   CHECK(bytes[16] == 2);
   CHECK(bytes[24] == 96); // the key's varint length, as fc::raw packs a bls_public_key
   auto back = decode_safety_file(bytes);
   INFO((back ? std::string() : back.error()));
   REQUIRE(back);
   REQUIRE(back->size() == 2);
   // The generations of a block_ref are not stored (Spring's pack_v0).
   CHECK((*back)[0].fsi.last_vote == entries[0].fsi.last_vote);
   CHECK((*back)[0].fsi.other_branch_latest_time == block_timestamp{95});
   CHECK((*back)[1] == entries[1]);
}

TEST_CASE("safety file: version 0 is read as Spring reads it", "[chain][finalizer]") {
   auto v1 = encode_safety_file(std::vector<safety_file_entry>{{fin_key(0).get_public_key(), {ref(1, 100), ref(2, 90), {}}}});
   // Version 0: the same up to the lock, then a bool (votes forked since the latest strong
   // vote) and no checksum.
   std::vector<uint8_t> v0(v1.begin(), v1.begin() + 24 + 97 + 136);
   v0[8] = 0;
   v0.push_back(1);
   auto back = decode_safety_file(v0);
   REQUIRE(back);
   REQUIRE(back->size() == 1);
   CHECK((*back)[0].fsi.other_branch_latest_time == block_timestamp{100});
   v0.back() = 0;
   CHECK(decode_safety_file(v0).value()[0].fsi.other_branch_latest_time == block_timestamp{});
}

TEST_CASE("safety file: damage is refused with the reason", "[chain][finalizer]") {
   const auto good = encode_safety_file(std::vector<safety_file_entry>{{fin_key(0).get_public_key(), {ref(1, 100), ref(2, 90), {}}}});
   for (std::size_t n = 0; n < good.size(); ++n) {
      INFO("truncated to " << n);
      CHECK_FALSE(decode_safety_file(std::span(good).first(n)));
   }
   auto flipped = good;
   flipped[200] ^= 0x10;
   CHECK(decode_safety_file(flipped).error().find("checksum") != std::string::npos);
   auto magic = good;
   magic[0] = 0;
   CHECK(decode_safety_file(magic).error().find("magic") != std::string::npos);
   auto version = good;
   version[8] = 2;
   CHECK(decode_safety_file(version).error().find("version 2") != std::string::npos);
   auto count = good;
   count[16] = 0xff;
   count[23] = 0x7f;
   CHECK(decode_safety_file(count).error().find("finalizers claimed") != std::string::npos);
   auto trailing = good;
   trailing.push_back(0);
   CHECK_FALSE(decode_safety_file(trailing));
}

TEST_CASE("safety file: written whole under a new directory, missing file reads as none", "[chain][finalizer]") {
   core::test::temp_dir dir;
   const auto path = dir.path / "finalizers" / "safety.dat";
   REQUIRE(read_safety_file(path).value().empty());
   std::vector<safety_file_entry> entries{{fin_key(2).get_public_key(), {ref(4, 7), ref(4, 7), {}}}};
   REQUIRE(write_safety_file(path, entries));
   CHECK(read_safety_file(path).value() == entries);
   CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
   auto damaged = read_bytes(path);
   damaged.resize(damaged.size() - 1);
   write_bytes(path, damaged);
   auto r = read_safety_file(path);
   REQUIRE_FALSE(r);
   CHECK(r.error().find(path.string()) != std::string::npos);
   CHECK(finalizer_set::open(path, key_pairs(2, 1)).error().find("damaged") != std::string::npos);
   // A path that cannot be written (its directory is a file) is an error, not a crash.
   write_bytes(dir.path / "file", {1});
   CHECK_FALSE(write_safety_file(dir.path / "file" / "safety.dat", entries));
}

TEST_CASE("finalizer votes: the controller votes with its keys, counts its own votes, and the next block carries the QC",
          "[chain][finalizer]") {
   core::test::temp_dir dir;
   const auto path = dir.path / "finalizers" / "safety.dat";
   savanna_node n;
   auto fs = finalizer_set::open(path, key_pairs(0, 3));
   REQUIRE(fs);
   n.chain->set_finalizers(std::move(*fs));
   std::vector<vote_message> seen;
   n.chain->voted.connect([&](const vote_message& v) {
      // Durable before it leaves: the file already holds this vote as the finalizer's last.
      auto stored = read_safety_file(path);
      REQUIRE(stored);
      bool found = false;
      for (const auto& e : *stored)
         found |= e.key.bytes() == v.finalizer_key.data && e.fsi.last_vote.block_id == v.block_id;
      CHECK(found);
      seen.push_back(v);
   });
   n.switch_to_savanna(policy_of(3));
   for (int i = 0; i < 10; ++i)
      n.produce();
   const auto head = n.chain->head();
   REQUIRE(head->is_proper_savanna());
   // Every proper block got the three votes, all strong, and formed a strong QC here.
   CHECK(seen.size() % 3 == 0);
   CHECK(seen.size() >= 3 * 8);
   CHECK(n.chain->votes_cast() == seen.size());
   for (const auto& v : seen)
      CHECK(v.strong);
   auto qc = n.chain->best_qc(head->id());
   REQUIRE(qc);
   CHECK(qc->is_strong());
   CHECK(head->bhs.savanna->core.latest_qc_claim().block_num == head->block_num() - 1);
   CHECK(n.chain->last_irreversible_block_num() == head->block_num() - 2);
}

TEST_CASE("finalizer votes: a restart from the safety file never votes again on a voted slot", "[chain][finalizer]") {
   core::test::temp_dir dir;
   const auto path = dir.path / "safety.dat";
   savanna_node n;
   n.switch_to_savanna(policy_of(3));
   for (int i = 0; i < 4; ++i)
      n.produce();
   const auto head = n.chain->head();
   REQUIRE(head->is_proper_savanna());
   {
      auto fs = finalizer_set::open(path, key_pairs(0, 1));
      REQUIRE(fs);
      auto v = fs->vote(head->bhs);
      REQUIRE(v);
      REQUIRE(v->size() == 1);
   }
   // "Restarted": the same key, from the file, offered the same block again: no vote.
   auto fs = finalizer_set::open(path, key_pairs(0, 1));
   REQUIRE(fs);
   REQUIRE(fs->safety_info(fin_key(0).get_public_key()));
   CHECK(fs->safety_info(fin_key(0).get_public_key())->last_vote.block_id == head->id());
   CHECK(fs->vote(head->bhs).value().empty());
   // A key the policy does not name never votes, and a key with nothing to say writes nothing.
   const auto other = dir.path / "other.dat";
   auto outsider = finalizer_set::open(other, key_pairs(5, 1));
   REQUIRE(outsider);
   CHECK(outsider->vote(head->bhs).value().empty());
   CHECK_FALSE(std::filesystem::exists(other));
   // Safety information of keys no longer configured is kept in the file.
   auto fs2 = finalizer_set::open(path, key_pairs(1, 1));
   REQUIRE(fs2);
   REQUIRE(fs2->vote(head->bhs).value().size() == 1);
   auto stored = read_safety_file(path);
   REQUIRE(stored);
   CHECK(stored->size() == 2);
}

TEST_CASE("finalizer votes: withheld when the safety file cannot be written", "[chain][finalizer]") {
   core::test::temp_dir dir;
   // The file reads as missing, but its temporary file cannot be created (a directory is in the
   // way; permissions would not stop a test running as root).
   std::filesystem::create_directories(dir.path / "safety.dat.tmp");
   savanna_node n;
   auto fs = finalizer_set::open(dir.path / "safety.dat", key_pairs(0, 3));
   REQUIRE(fs);
   n.chain->set_finalizers(std::move(*fs));
   int emitted = 0;
   std::vector<std::string> errors;
   n.chain->voted.connect([&](const vote_message&) { ++emitted; });
   n.chain->vote_failed.connect([&](const std::string& e) { errors.push_back(e); });
   n.switch_to_savanna(policy_of(3));
   for (int i = 0; i < 4; ++i)
      n.produce();
   CHECK(emitted == 0);
   REQUIRE_FALSE(errors.empty());
   CHECK(errors.front().find("safety.dat") != std::string::npos);
}

TEST_CASE("finalizer policy proposals follow Spring's set_finalizers rules", "[chain][finalizer]") {
   auto p = policy_of(3);
   CHECK_FALSE(p.check_proposal());
   auto low = p;
   low.threshold = 1; // not above half of 3
   CHECK(low.check_proposal().value().find("threshold") != std::string::npos);
   auto high = p;
   high.threshold = 4;
   CHECK(high.check_proposal());
   auto dup = p;
   dup.finalizers[2].public_key = dup.finalizers[0].public_key;
   CHECK(dup.check_proposal().value().find("repeats") != std::string::npos);
   CHECK(finalizer_policy{}.check_proposal());
   auto heavy = p;
   heavy.finalizers[0].weight = std::numeric_limits<uint64_t>::max();
   CHECK(heavy.check_proposal().value().find("overflow") != std::string::npos);
   auto wordy = p;
   wordy.finalizers[1].description.assign(257, 'x');
   CHECK(wordy.check_proposal());
}
