// msgcraft probe without sockets: the catalogue's names, references and expectations, the
// selection of checks, and the judging of observations.
#include "probe/catalogue.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace msgcraft::probe;

namespace {

const check_def& check(std::string_view name) {
   for (const auto& c : catalogue())
      if (c.name == name)
         return c;
   FAIL("no check " << name);
   return catalogue().front();
}

observation closed_with(std::optional<core::go_away_reason> r) {
   observation o;
   o.closed = true;
   o.go_away = r;
   return o;
}

observation stayed() {
   observation o;
   o.answered = true;
   o.replies.push_back({1, 2, 3, 0});
   return o;
}

std::string protocol_text() {
   std::ifstream f(test::shared_path("protocol/PROTOCOL.md"));
   std::stringstream ss;
   ss << f.rdbuf();
   return ss.str();
}

} // namespace

TEST_CASE("probe catalogue: stable dotted names, a reference and two expectations each", "[msgcraft][probe]") {
   const std::regex name_re(R"(^[a-z0-9_]+\.[a-z0-9_]+$)");
   const std::regex section_re(R"(§(\d+))");
   const auto protocol = protocol_text();
   REQUIRE_FALSE(protocol.empty());
   std::set<std::string_view> names;
   std::set<scenario> scenarios;
   for (const auto& c : catalogue()) {
      INFO(c.name);
      CHECK(std::regex_match(std::string(c.name), name_re));
      CHECK(names.insert(c.name).second);
      CHECK(scenarios.insert(c.run).second);
      CHECK_FALSE(c.about.empty());
      CHECK_FALSE(c.leap5.text.empty());
      CHECK_FALSE(c.spring.text.empty());
      CHECK(c.leap5.holds != nullptr);
      CHECK(c.spring.holds != nullptr);
      // Every section it cites exists in PROTOCOL.md.
      const std::string ref(c.reference);
      CHECK(ref.starts_with("PROTOCOL.md §"));
      for (auto it = std::sregex_iterator(ref.begin(), ref.end(), section_re); it != std::sregex_iterator(); ++it)
         CHECK(protocol.find("\n## " + (*it)[1].str() + ". ") != std::string::npos);
   }
   // What the issue asks for, at least.
   for (const auto* n : {"handshake.wrong_chain", "handshake.self_connect", "handshake.duplicate", "frame.oversize",
                         "frame.zero_length", "frame.unknown_index", "frame.length_short", "sync_request.in_range",
                         "sync_request.out_of_range", "sync_request.cancel", "time.ping", "auth.unsigned",
                         "request.catch_up", "notice.too_many_ids", "block.below_lib", "gating.vote_message",
                         "gating.transaction_notice_message"})
      CHECK(names.count(n) == 1);
   CHECK(catalogue().size() >= 40);
}

TEST_CASE("probe catalogue: --only and --skip select by name and prefix", "[msgcraft][probe]") {
   std::string error;
   auto all = select_checks({}, {}, error);
   CHECK(error.empty());
   CHECK(all.size() == catalogue().size());
   auto hs = select_checks({"handshake.*"}, {"handshake.duplicate"}, error);
   REQUIRE_FALSE(hs.empty());
   for (const auto* c : hs) {
      CHECK(c->name.starts_with("handshake."));
      CHECK(c->name != "handshake.duplicate");
   }
   auto two = select_checks({"time.ping", "frame."}, {}, error);
   CHECK(two.front()->name == "time.ping");
   CHECK(two.size() == 1 + static_cast<std::size_t>(std::count_if(catalogue().begin(), catalogue().end(),
                                         [](const check_def& c) { return c.name.starts_with("frame."); })));
   select_checks({"nothing.here"}, {}, error);
   CHECK(error == "no check matches \"nothing.here\"");
}

TEST_CASE("probe expectations: what passes and what fails", "[msgcraft][probe]") {
   using core::go_away_reason;
   const auto& wrong_chain = check("handshake.wrong_chain");
   CHECK(wrong_chain.leap5.holds(closed_with(go_away_reason::wrong_chain)));
   CHECK_FALSE(wrong_chain.leap5.holds(closed_with(go_away_reason::fatal_other)));
   CHECK_FALSE(wrong_chain.leap5.holds(closed_with(std::nullopt)));
   CHECK_FALSE(wrong_chain.spring.holds(stayed()));

   const auto& zero = check("frame.zero_length");
   CHECK(zero.leap5.holds(closed_with(std::nullopt)));
   CHECK(zero.leap5.holds(closed_with(go_away_reason::fatal_other)));
   CHECK_FALSE(zero.leap5.holds(closed_with(go_away_reason::benign_other)));
   CHECK_FALSE(zero.leap5.holds(stayed()));

   const auto& vote = check("gating.vote_message");
   CHECK(vote.leap5.holds(closed_with(std::nullopt)));
   CHECK(vote.leap5.holds(stayed()));
   auto answered_newer = stayed();
   answered_newer.messages.push_back(9);
   CHECK_FALSE(vote.leap5.holds(answered_newer));

   const auto& normal = check("request.normal");
   auto one_block = stayed();
   one_block.blocks = {7};
   one_block.wanted = {7};
   CHECK(normal.leap5.holds(one_block));
   CHECK_FALSE(normal.spring.holds(one_block));
   CHECK(normal.spring.holds(closed_with(std::nullopt)));

   const auto& in_range = check("sync_request.in_range");
   auto blocks = stayed();
   blocks.wanted = {3, 4, 5};
   blocks.blocks = {3, 4, 5};
   CHECK(in_range.leap5.holds(blocks));
   blocks.blocks = {3, 5};
   CHECK_FALSE(in_range.leap5.holds(blocks));

   const auto& below = check("block.below_lib");
   auto leap = stayed();
   leap.handshakes.emplace_back();
   leap.sync_requests.push_back({0, 0});
   CHECK(below.leap5.holds(leap));
   CHECK_FALSE(below.spring.holds(leap));
   CHECK(below.spring.holds(stayed()));

   const auto& dup = check("handshake.duplicate");
   auto d = closed_with(go_away_reason::duplicate);
   CHECK(dup.leap5.holds(d));
   d.second_ok = false;
   CHECK_FALSE(dup.leap5.holds(d));

   const auto& twice = check("time.duplicate");
   auto t = stayed();
   CHECK_FALSE(twice.leap5.holds(t));
   t.replies.push_back({4, 5, 6, 0});
   CHECK(twice.leap5.holds(t));
}

TEST_CASE("probe observations read as one line", "[msgcraft][probe]") {
   auto o = closed_with(core::go_away_reason::wrong_chain);
   CHECK(describe(o) == "go_away wrong_chain, closed");
   auto b = stayed();
   b.blocks = {3, 4, 5};
   CHECK(describe(b) == "1 time reply, blocks 3-5, ping answered");
   observation s;
   s.skipped = "the peer's LIB is 0";
   CHECK(describe(s) == "skipped: the peer's LIB is 0");
}
