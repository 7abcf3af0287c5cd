// blockdump on Spring's recorded Savanna chain: print decodes the extensions, verify --json
// reports Spring's LIB and the QCs, and each kind of tampering is caught, naming the block.
#include "blockdump_fixture.hpp"

#include "blocklog/nodeos_block_log_writer.hpp"
#include "codec/codec.hpp"
#include "crypto/private_key.hpp"
#include "crypto/sha256.hpp"
#include "support/deep_mind.hpp"

#include <rapidjson/document.h>

using namespace core;

namespace {

std::string deep_mind_dir() { return test::shared_path("protocol/data/spring-deep-mind"); }

rapidjson::Document parse(const std::string& line) {
   rapidjson::Document d;
   d.Parse(line.c_str());
   REQUIRE_FALSE(d.HasParseError());
   return d;
}

/// Writes the deep-mind chain, with block `num` replaced by `tampered`, as a log in a fresh dir.
std::string write_chain(const std::string& name, uint32_t num, const signed_block& tampered) {
   const auto& dm = test::deep_mind();
   const auto dir = test::scratch_dir(name);
   std::filesystem::remove_all(dir);
   auto w = nodeos_block_log_writer::create(dir, 1, dm.genesis);
   REQUIRE(w);
   for (uint32_t n = 1; n <= dm.blocks.size(); ++n)
      REQUIRE(w->append(pack(n == num ? tampered : dm.block(n))));
   REQUIRE(w->commit());
   return dir.string();
}

/// The Spring test harness's key for `account` (tester::get_private_key(name, "active")).
private_key harness_key(const std::string& account) {
   auto secret = sha256(account + "active");
   auto k = private_key::from_secret(std::span<const uint8_t, 32>(secret.data));
   REQUIRE(k);
   return *k;
}

/// Runs verify on `dir` and checks it fails at block `num` with `reason` in the message.
void require_caught(const std::string& dir, uint32_t num, const std::string& reason) {
   auto r = test::run_blockdump({"verify", "--blocks-dir", dir, "--json"});
   INFO(r.err);
   CHECK(r.rc == 1);
   CHECK(r.err.find(fmt::format("block {}: ", num)) != std::string::npos);
   CHECK(r.err.find(reason) != std::string::npos);
   const auto ls = r.lines();
   REQUIRE(!ls.empty());
   auto last = parse(ls.back());
   CHECK(last["block_num"].GetUint() == num);
   CHECK_FALSE(last["ok"].GetBool());
}

} // namespace

TEST_CASE("blockdump verify: Spring's Savanna chain, with Spring's LIB on every block", "[blockdump][savanna]") {
   const auto& dm = test::deep_mind();
   auto r = test::run_blockdump({"verify", "--blocks-dir", deep_mind_dir(), "--json"});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   const auto ls = r.lines();
   REQUIRE(ls.size() == 35);
   int libs = 0, qcs = 0;
   for (const auto& l : ls) {
      auto d = parse(l);
      const uint32_t n = d["block_num"].GetUint();
      CHECK(d["ok"].GetBool());
      CHECK(d["savanna"].GetBool() == (n >= 6));
      if (const auto* rec = dm.record(n)) {
         CHECK(d["last_irreversible_block_num"].GetUint() == rec->lib);
         ++libs;
      }
      CHECK(d["qc_claim"].IsNull() == (n < 4));
      if (!d["qc"].IsNull()) {
         CHECK(d["qc"]["block_num"].GetUint() == d["qc_claim"]["block_num"].GetUint());
         CHECK(d["qc"]["strong_votes"].GetUint() == 1);
         CHECK(d["qc"]["verified"].GetBool());
         ++qcs;
      }
   }
   CHECK(libs == 32);
   CHECK(qcs == 13); // blocks 7-14, 25, 26, 33-35
   auto text = test::run_blockdump({"verify", "--blocks-dir", deep_mind_dir()});
   CHECK(text.out.find("lib             33") != std::string::npos);
   CHECK(text.out.find("last_qc         34 strong") != std::string::npos);
}

TEST_CASE("blockdump print: Savanna extensions as spring-util prints them", "[blockdump][savanna]") {
   auto r = test::run_blockdump({"print", "--blocks-dir", deep_mind_dir(), "--first", "4", "--last", "12"});
   REQUIRE(r.rc == 0);
   const auto ls = r.lines();
   REQUIRE(ls.size() == 9);
   auto b4 = parse(ls[0]);
   REQUIRE(b4["header_extensions"].IsArray()); // as the wire holds them, for msgcraft encode
   CHECK(b4["header_extensions"].Size() == 2); // protocol features, finality
   CHECK(b4["new_producers"].IsNull());
   REQUIRE(b4.HasMember("new_protocol_features"));
   CHECK(b4["new_protocol_features"][0].HasMember("feature_digest"));
   const auto& diff = b4["finality_extension"]["new_finalizer_policy_diff"];
   CHECK(diff["generation"].GetUint() == 1);
   CHECK(std::string(diff["finalizers_diff"]["insert_indexes"][0][1]["public_key"].GetString()).starts_with("PUB_BLS_"));
   auto b7 = parse(ls[3]);
   REQUIRE(b7.HasMember("qc_extension"));
   CHECK(b7["qc_extension"]["qc"]["block_num"].GetUint() == 6);
   CHECK(std::string(b7["qc_extension"]["qc"]["active_policy_sig"]["strong_votes"].GetString()) == "1");
   REQUIRE(b7["block_extensions"].IsArray());
   CHECK(b7["block_extensions"].Size() == 1);
   auto b12 = parse(ls[8]);
   CHECK(b12["finality_extension"]["new_proposer_policy_diff"]["version"].GetUint() == 1);
}

TEST_CASE("blockdump verify: a tampered producer signature names the block", "[blockdump][savanna]") {
   auto b = test::deep_mind().block(20);
   auto raw = pack(b.producer_signature);
   raw[10] ^= 0x01;
   auto sig = unpack<signature>(raw);
   REQUIRE(sig);
   b.producer_signature = *sig;
   require_caught(write_chain("savanna-tamper-signature", 20, b), 20, "signed by a key");
}

TEST_CASE("blockdump verify: a tampered QC vote bitset names the block", "[blockdump][savanna]") {
   auto b = test::deep_mind().block(33);
   auto bx = decode_block_extensions(b.block_extensions);
   REQUIRE(bx);
   REQUIRE(bx->qc);
   auto qc = bx->qc->qc;
   vote_bitset none(1); // the only finalizer's vote removed
   qc.active_policy_sig.strong_votes = none;
   b.block_extensions.back().second = [&] {
      auto p = pack(quorum_certificate_extension{qc});
      return bytes(p.begin(), p.end());
   }();
   require_caught(write_chain("savanna-tamper-bitset", 33, b), 33, "strong quorum not met");
}

TEST_CASE("blockdump verify: a tampered proposer policy diff names the block", "[blockdump][savanna]") {
   auto b = test::deep_mind().block(12);
   auto hx = decode_header_extensions(b.header_extensions);
   REQUIRE(hx);
   REQUIRE(hx->finality);
   auto f = *hx->finality;
   REQUIRE(f.new_proposer_policy_diff);
   f.new_proposer_policy_diff->producer_auth_diff.remove_indexes = {1}; // the list holds only eosio
   for (auto& [id, data] : b.header_extensions)
      if (id == finality_extension::extension_id) {
         auto p = pack(f);
         data.assign(p.begin(), p.end());
      }
   // Re-signed by the producer, so the diff itself is what fails.
   const auto key = harness_key("eosio");
   REQUIRE(key.get_public_key() == test::deep_mind().genesis.initial_key);
   b.producer_signature = key.sign(b.calculate_id());
   require_caught(write_chain("savanna-tamper-diff", 12, b), 12, "remove index 1 out of range");
}

TEST_CASE("blockdump info and forkdb: the head's finality on Spring's Savanna chain", "[blockdump][savanna]") {
   // On the log: the head's QC claim, and the newest finalizer policy proposed (block 4's).
   auto li = test::run_blockdump({"info", "--blocks-dir", deep_mind_dir(), "--json"});
   INFO(li.err);
   REQUIRE(li.rc == 0);
   auto l = parse(li.out);
   CHECK(l["savanna"].GetBool());
   CHECK(l["last_qc"]["block_num"].GetUint() == 34);
   CHECK(l["last_qc"]["is_strong_qc"].GetBool());
   CHECK(l["last_proposed_finalizer_policy_generation"].GetUint() == 1);
   auto lt = test::run_blockdump({"info", "--blocks-dir", deep_mind_dir()});
   CHECK(lt.out.find("last_qc         34 strong") != std::string::npos);

   // Imported into a data dir: the same, from the head's header state.
   const auto dd = test::scratch_dir("savanna-info-dd");
   std::filesystem::remove_all(dd);
   auto im = test::run_blockdump({"import", "--data-dir", dd.string(), "--blocks-dir", deep_mind_dir()});
   INFO(im.err);
   REQUIRE(im.rc == 0);
   auto di = test::run_blockdump({"info", "--data-dir", dd.string(), "--json"});
   INFO(di.err);
   REQUIRE(di.rc == 0);
   auto d = parse(di.out);
   CHECK(d["lib_block_num"].GetUint() == 33);
   CHECK(d["savanna"].GetBool());
   CHECK(d["finalizer_policy_generation"].GetUint() == 1);
   CHECK(d["pending_finalizer_policy_generation"].IsNull());
   CHECK(d["last_qc"]["block_num"].GetUint() == 34);
   CHECK(d["last_qc"]["is_strong_qc"].GetBool());

   auto fj = test::run_blockdump({"forkdb", "--data-dir", dd.string(), "--json"});
   INFO(fj.err);
   REQUIRE(fj.rc == 0);
   auto f = parse(fj.out);
   CHECK(f["finalizer_policy_generation"].GetUint() == 1);
   CHECK(f["last_qc"]["block_num"].GetUint() == 34);
   const auto& blocks = f["branches"][0]["blocks"];
   REQUIRE(blocks.Size() == 2); // 34 and 35 are reversible
   CHECK(blocks[1]["qc_claim"]["block_num"].GetUint() == 34);
   auto ft = test::run_blockdump({"forkdb", "--data-dir", dd.string()});
   CHECK(ft.out.find("qc 34 strong") != std::string::npos);
   CHECK(ft.out.find("finalizers      1") != std::string::npos);
}

TEST_CASE("blockdump verify: a tampered QC signature names the block", "[blockdump][savanna]") {
   auto b = test::deep_mind().block(26);
   auto bx = decode_block_extensions(b.block_extensions);
   REQUIRE(bx);
   REQUIRE(bx->qc);
   auto qce = *bx->qc;
   // Another QC's signature: a valid point, but not over this block's finality digest.
   auto other = decode_block_extensions(test::deep_mind().block(25).block_extensions);
   REQUIRE(other);
   qce.qc.active_policy_sig.sig = other->qc->qc.active_policy_sig.sig;
   auto p = pack(qce);
   b.block_extensions.back().second.assign(p.begin(), p.end());
   require_caught(write_chain("savanna-tamper-qc", 26, b), 26, "aggregate signature does not verify");
}
