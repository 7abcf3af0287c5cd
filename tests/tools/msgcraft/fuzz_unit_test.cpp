// msgcraft fuzz without sockets: the built-in seeds, each mutation, the cases a seed gives,
// minimisation against a scripted predicate, reproducer files and the answer checks.
#include "fuzz/answer_checks.hpp"
#include "fuzz/campaign.hpp"
#include "fuzz/fuzz_case.hpp"
#include "fuzz/mutator.hpp"
#include "fuzz/replay.hpp"
#include "fuzz/seeds.hpp"
#include "peer_session.hpp"
#include "send_script.hpp"

#include "codec/codec.hpp"
#include "net/frame.hpp"
#include "net/wire_schema.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace msgcraft::fuzz;

namespace {

msgcraft::handshake_options fixed_handshake() {
   msgcraft::handshake_options o;
   o.node_id.data.fill(0x11);
   return o;
}

const std::vector<seed>& seeds() {
   static const auto s = builtin_seeds(msgcraft::build_handshake(fixed_handshake(), 1'700'000'000'000'000'000));
   return s;
}

const seed& seed_of(uint32_t which) {
   for (const auto& s : seeds())
      if (s.which == which)
         return s;
   FAIL("no seed of index " << which);
   return seeds().front();
}

std::optional<mutated> apply_until(mutation m, const seed& s, const std::function<bool(const mutated&)>& pred,
                                   int tries = 2000) {
   rng r(7);
   for (int i = 0; i < tries; ++i) {
      auto out = apply_mutation(m, s.payload, seeds(), r);
      if (out && pred(*out))
         return out;
   }
   return std::nullopt;
}

core::decode_errc decode_code(const std::vector<uint8_t>& payload) {
   auto m = core::decode_payload(payload);
   return m ? core::decode_errc::ok : m.error().code;
}

} // namespace

TEST_CASE("fuzz seeds: every message of protocols 7-12 has valid built-in seeds", "[msgcraft][fuzz]") {
   std::set<uint32_t> indices;
   for (const auto& s : seeds()) {
      INFO(s.origin);
      CHECK(s.decodes);
      CHECK(s.walk.complete);
      indices.insert(s.which);
   }
   for (uint32_t i = 0; i < core::message_count; ++i)
      CHECK(indices.count(i) == 1);
   // Deterministic: the same seeds for the same handshake.
   const auto again = builtin_seeds(msgcraft::build_handshake(fixed_handshake(), 1'700'000'000'000'000'000));
   REQUIRE(again.size() == seeds().size());
   for (std::size_t i = 0; i < again.size(); ++i)
      CHECK(again[i].payload == seeds()[i].payload);
}

TEST_CASE("fuzz seeds: without --node-id the node id follows the campaign's seed", "[msgcraft][fuzz]") {
   // The handshake and go_away seeds carry the node id: a random one would change the cases.
   CHECK(campaign_node_id(5) == campaign_node_id(5));
   CHECK(campaign_node_id(5) != campaign_node_id(6));
}

TEST_CASE("fuzz seeds: frames of a stream, and files of a corpus", "[msgcraft][fuzz]") {
   auto stream = core::encode_frame(core::sync_request_message{1, 2});
   const auto second = core::encode_frame(core::time_message{0, 0, 5, 0});
   stream.insert(stream.end(), second.begin(), second.end());
   auto s = seeds_from_stream(stream, "x");
   REQUIRE(s.size() == 2);
   CHECK(s[0].which == 6);
   CHECK(s[1].which == 3);
   CHECK(s[1].origin == "x#2");
}

TEST_CASE("fuzz mutations: integers at their boundaries", "[msgcraft][fuzz]") {
   const auto& s = seed_of(6); // sync_request {1, 100}
   std::set<uint32_t> ends;
   rng r(1);
   for (int i = 0; i < 400; ++i) {
      auto m = apply_mutation(mutation::int_boundary, s.payload, seeds(), r);
      REQUIRE(m);
      CHECK(m->kind == mutation::int_boundary);
      auto msg = core::decode_payload(m->payload);
      REQUIRE(msg); // a changed integer keeps the message decodable
      const auto& sr = std::get<core::sync_request_message>(*msg);
      ends.insert(sr.end_block);
      CHECK(m->what.starts_with("int_boundary sync_request_message."));
   }
   CHECK(ends.count(0xffffffffu) == 1);
   CHECK(ends.count(0) == 1);
   CHECK(ends.count(0x80000000u) == 1);

   // Enumerations get their first unknown value: go_away accepts any reason, compression does not.
   auto reason = apply_until(mutation::int_boundary, seed_of(2), [](const mutated& m) {
      return m.what.find("reason=12") != std::string::npos;
   });
   REQUIRE(reason);
   CHECK(decode_code(reason->payload) == core::decode_errc::ok);
   auto compression = apply_until(mutation::int_boundary, seed_of(8), [](const mutated& m) {
      return m.what.find("compression=2") != std::string::npos;
   });
   REQUIRE(compression);
   CHECK(decode_code(compression->payload) == core::decode_errc::bad_value);
}

TEST_CASE("fuzz mutations: counts, varints, variant indices and bools", "[msgcraft][fuzz]") {
   SECTION("a count the content does not match") {
      auto m = apply_until(mutation::count_mismatch, seed_of(4), [](const mutated& m) {
         return m.what.find("known_blocks.ids 1 -> 2") != std::string::npos;
      });
      REQUIRE(m);
      CHECK(decode_code(m->payload) != core::decode_errc::ok);
   }
   SECTION("an overlong varint fc still reads, and one it rejects") {
      auto ok = apply_until(mutation::varint_form, seed_of(4), [](const mutated& m) {
         return m.what.find("in 2 bytes") != std::string::npos;
      });
      REQUIRE(ok);
      CHECK(decode_code(ok->payload) == core::decode_errc::ok);
      auto six = apply_until(mutation::varint_form, seed_of(4),
                             [](const mutated& m) { return m.what.find("in 6 bytes") != std::string::npos; });
      REQUIRE(six);
      CHECK(decode_code(six->payload) == core::decode_errc::varint_overlong);
   }
   SECTION("an unknown message index") {
      auto m = apply_until(mutation::variant_index, seed_of(6), [](const mutated& m) {
         return m.what.starts_with("variant_index message index 6 -> 100");
      });
      REQUIRE(m);
      CHECK(decode_code(m->payload) == core::decode_errc::unknown_variant);
   }
   SECTION("an unknown key type inside the handshake") {
      auto m = apply_until(mutation::variant_index, seed_of(0), [](const mutated& m) {
         return m.what.find("handshake_message.key") != std::string::npos;
      });
      REQUIRE(m);
      CHECK(decode_code(m->payload) == core::decode_errc::unknown_variant);
   }
   SECTION("a bool other than 0 or 1") {
      auto m = apply_until(mutation::bool_value, seed_of(9), [](const mutated&) { return true; });
      REQUIRE(m);
      CHECK(decode_code(m->payload) == core::decode_errc::bad_bool);
   }
}

TEST_CASE("fuzz mutations: strings at and past 384 characters", "[msgcraft][fuzz]") {
   std::set<std::size_t> agent_lengths;
   rng r(3);
   for (int i = 0; i < 3000; ++i) {
      auto m = apply_mutation(mutation::string_length, seed_of(0).payload, seeds(), r);
      REQUIRE(m);
      auto msg = core::decode_payload(m->payload);
      REQUIRE(msg); // the length prefix follows the content
      const auto& h = std::get<core::handshake_message>(*msg);
      if (m->what.find(".agent") != std::string::npos)
         agent_lengths.insert(h.agent.size());
   }
   CHECK(agent_lengths.count(384) == 1);
   CHECK(agent_lengths.count(385) == 1);
   CHECK(agent_lengths.count(0) == 1);
}

TEST_CASE("fuzz mutations: extensions, elements, splicing and bytes", "[msgcraft][fuzz]") {
   const auto& block = seed_of(7);
   SECTION("an unknown or repeated extension") {
      auto m = apply_until(mutation::extension_id, block,
                           [](const mutated& m) { return m.what.find("id 0 -> 65535") != std::string::npos; });
      REQUIRE(m);
      auto b = core::decode_payload(m->payload);
      REQUIRE(b); // still decodes; the extension is unknown to nodeos
      CHECK(std::get<core::signed_block>(*b).header_extensions.front().first == 0xffff);
      auto rep = apply_until(mutation::extension_id, block,
                             [](const mutated& m) { return m.what.find("entry repeated") != std::string::npos; });
      REQUIRE(rep);
      CHECK(decode_code(rep->payload) == core::decode_errc::ok);
   }
   SECTION("vector elements repeated with a consistent count") {
      auto m = apply_until(mutation::elements, seed_of(4),
                           [](const mutated& m) { return m.what.find("repeated to") != std::string::npos; });
      REQUIRE(m);
      auto n = core::decode_payload(m->payload);
      REQUIRE(n);
      CHECK(std::get<core::notice_message>(*n).known_blocks.ids.size() >= 2);
   }
   SECTION("a value spliced from another message of the same type") {
      auto m = apply_until(mutation::splice, seed_of(5), [](const mutated& m) { return m.what.find(" <- ") != std::string::npos; });
      REQUIRE(m);
      CHECK(m->payload != seed_of(5).payload);
   }
   SECTION("plain byte edits") {
      rng r(5);
      std::set<std::string> ops;
      for (int i = 0; i < 500; ++i) {
         auto m = apply_mutation(mutation::bytes, seed_of(3).payload, seeds(), r);
         REQUIRE(m);
         CHECK(m->payload != seed_of(3).payload);
         ops.insert(m->what.substr(0, 12));
      }
      CHECK(ops.size() >= 5);
   }
}

TEST_CASE("fuzz cases: deterministic per (seed, run), and covering every mutation", "[msgcraft][fuzz]") {
   case_options o;
   for (uint64_t run : {0u, 1u, 77u}) {
      auto a = rng::for_run(42, run), b = rng::for_run(42, run);
      const auto ca = make_case(seeds(), a, o), cb = make_case(seeds(), b, o);
      REQUIRE(ca.frames.size() == cb.frames.size());
      for (std::size_t i = 0; i < ca.frames.size(); ++i)
         CHECK(ca.frames[i].bytes() == cb.frames[i].bytes());
      CHECK(ca.mutation_list() == cb.mutation_list());
   }
   auto x = rng::for_run(1, 5), y = rng::for_run(2, 5);
   CHECK(make_case(seeds(), x, o).mutation_list() != make_case(seeds(), y, o).mutation_list());

   std::set<std::string> seen;
   std::set<uint32_t> types;
   int decodable = 0, no_handshake = 0, out_of_step = 0;
   const int n = 4000;
   for (int run = 0; run < n; ++run) {
      auto r = rng::for_run(9, static_cast<uint64_t>(run));
      const auto c = make_case(seeds(), r, o);
      REQUIRE(!c.frames.empty());
      for (auto m : c.mutation_list()) {
         if (const auto colon = m.find(": "); m.starts_with("frame ") && colon != std::string::npos && colon < 12)
            m = m.substr(colon + 2);
         seen.insert(m.substr(0, m.find(' ')));
      }
      for (const auto& f : c.frames) {
         types.insert(seeds()[f.seed].which);
         CHECK(f.steps.size() + (f.declared_length ? 1 : 0) == f.mutations.size());
         CHECK(f.decodable() == (!f.declared_length && core::decode_payload(f.payload).has_value()));
      }
      decodable += c.decodable();
      no_handshake += !c.handshake;
      out_of_step += !c.in_step();
   }
   for (std::size_t m = 0; m < mutation_count; ++m)
      CHECK(seen.count(std::string(to_string(static_cast<mutation>(m)))) == 1);
   CHECK(seen.count("frame_length") == 1);
   CHECK(types.size() == core::message_count);
   CHECK(decodable > n / 10);
   CHECK(decodable < n * 9 / 10);
   CHECK(no_handshake > 0);
   CHECK(out_of_step > 0);
}

TEST_CASE("fuzz minimise: the shortest sequence and the earliest mutation step", "[msgcraft][fuzz]") {
   // The "bug": a sync_request whose end_block is 0xffffffff, anywhere in the sequence.
   const auto bad = [](const replay& r) {
      for (const auto& f : r.frames)
         if (auto m = core::decode_payload(f.payload); m && !f.declared_length)
            if (const auto* s = std::get_if<core::sync_request_message>(&*m); s && s->end_block == 0xffffffffu)
               return true;
      return false;
   };
   replay start;
   start.handshake = true;
   for (uint32_t which : {3u, 4u, 6u, 5u}) {
      fuzz_frame f;
      f.payload = seed_of(which).payload;
      start.frames.push_back(f);
   }
   // Frame 3: mutated twice; the first step already set end_block.
   auto& f = start.frames[2];
   f.steps = {f.payload};
   f.mutations = {"int_boundary sync_request_message.end_block=4294967295"};
   f.payload = core::encode_payload(core::sync_request_message{1, 0xffffffffu});
   f.steps.push_back(f.payload);
   f.mutations.push_back("int_boundary sync_request_message.start_block=0");
   f.payload = core::encode_payload(core::sync_request_message{0, 0xffffffffu});
   REQUIRE(bad(start));

   unsigned calls = 0;
   auto m = minimise(start, [&](const replay& r) { ++calls; return bad(r); }, 64);
   CHECK(m.reduced);
   CHECK(m.attempts == calls);
   REQUIRE(m.shortest.frames.size() == 1);
   CHECK_FALSE(m.shortest.handshake);
   CHECK(m.shortest.frames[0].mutations.size() == 1);
   CHECK(m.shortest.frames[0].payload == core::encode_payload(core::sync_request_message{1, 0xffffffffu}));

   unsigned limited = 0;
   auto cut = minimise(start, [&](const replay& r) { ++limited; return bad(r); }, 3);
   CHECK(limited == 3);
   CHECK(cut.attempts == 3);
}

TEST_CASE("fuzz reproducers: the file send -f reads gives back the frames", "[msgcraft][fuzz]") {
   replay r;
   r.handshake = true;
   fuzz_frame good;
   good.payload = seed_of(6).payload;
   fuzz_frame undecodable;
   undecodable.payload = {0x64, 0x01, 0x02};
   fuzz_frame short_length;
   short_length.payload = seed_of(3).payload;
   short_length.declared_length = 3;
   fuzz_frame overlong; // decodes, but JSON would re-encode it minimally: kept raw
   overlong.payload = {0x86, 0x00, 1, 0, 0, 0, 2, 0, 0, 0};
   r.frames = {good, undecodable, short_length, overlong};
   const auto hs = msgcraft::build_handshake(msgcraft::handshake_options{}, 5);
   const auto text = reproducer_text({{"a finding", "second line"}}, r, hs);
   CHECK(text.starts_with("# a finding\n# second line\n{\"send_handshake\":false}\n"));
   auto script = msgcraft::script_from_lines(text, "x");
   REQUIRE(script);
   CHECK(script->send_handshake == false);
   REQUIRE(script->items.size() == 5);
   CHECK(script->items[0].bytes == core::encode_frame(hs));
   CHECK_FALSE(script->items[1].raw);
   for (std::size_t i = 0; i < r.frames.size(); ++i)
      CHECK(script->items[i + 1].bytes == r.frames[i].bytes());
   CHECK(script->items[2].raw);
   CHECK(script->items[3].raw);
   CHECK(script->items[4].raw);
}

TEST_CASE("fuzz answer checks: what no peer of the advertised version may send", "[msgcraft][fuzz]") {
   answer_checker c;
   CHECK(max_message_index(7) == 8);
   CHECK(max_message_index(9) == 9);
   CHECK(max_message_index(10) == 11);
   CHECK(max_message_index(11) == 12);
   CHECK(max_message_index(12) == 13);
   // Before any handshake only messages 0-8.
   CHECK(c.received(core::net_message{core::vote_message{}})->check == "answer.version_gate");
   c.sent_handshake(1216);
   CHECK_FALSE(c.received(core::net_message{core::gossip_bp_peers_message{}}));
   core::handshake_message h;
   h.network_version = 1212;
   h.p2p_address = "peer:9876 - 1234567";
   h.os = "linux";
   CHECK_FALSE(c.received(core::net_message{h}));
   REQUIRE(c.peer_protocol() == 7);
   CHECK(c.received(core::net_message{core::block_nack_message{}})->check == "answer.version_gate");
   CHECK_FALSE(c.received(core::net_message{core::sync_request_message{}}));

   answer_checker d;
   auto bad = h;
   bad.last_irreversible_block_num = 10; // above head 0
   CHECK(d.received(core::net_message{bad})->check == "answer.handshake_invalid");

   answer_checker t;
   CHECK_FALSE(t.received(core::net_message{h}));
   t.sent_ping(1000);
   CHECK_FALSE(t.received(core::net_message{core::time_message{1000, 2, 3, 0}}));
   CHECK_FALSE(t.received(core::net_message{core::time_message{0, 0, 3, 0}})); // the peer's own ping
   CHECK(t.received(core::net_message{core::time_message{999, 2, 3, 0}})->check == "answer.time_reply");
   CHECK(t.undecodable("x")->check == "answer.undecodable");
}

TEST_CASE("fuzz: sanitizer summaries without addresses", "[msgcraft][fuzz]") {
   const std::string asan = "==123==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011\n"
                            "    #0 0x55d in f() a.cpp:3\n"
                            "SUMMARY: AddressSanitizer: heap-buffer-overflow a.cpp:3 in f()\n";
   CHECK(sanitizer_summary(asan) == "AddressSanitizer: heap-buffer-overflow a.cpp:3 in f()");
   const std::string ubsan = "x.cpp:10:5: runtime error: signed integer overflow: 0x7fff + 1\n";
   CHECK(sanitizer_summary(ubsan) == "x.cpp:10:5: runtime error: signed integer overflow: 0x… + 1");
   CHECK(sanitizer_summary("plain log\n").empty());
}
