// Crash safety of voting: a finalizer process (chain_crash_finalizer) is SIGKILLed at random
// moments and restarted on a new fork whose slots overlap the ones it voted on before. Across
// all runs, the votes it sent (votes.log) never conflict: each vote is on a later slot than
// every vote before it — no two votes on one slot (a double vote) and none on an earlier slot,
// which a restart that lost its last vote's safety information would cast.
#include "spawn_ready.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr auto test_budget = std::chrono::seconds(40);
constexpr int min_kills = 20;

/// Starts the finalizer and returns once it votes; -1 when it failed first.
pid_t spawn_finalizer(const std::filesystem::path& dir, uint32_t first_slot, uint32_t seed) {
   return core::test::spawn_ready(CHAIN_CRASH_FINALIZER, {dir.string(), std::to_string(first_slot), std::to_string(seed)});
}

struct vote_line {
   uint64_t slot = 0;
   std::string block_id;
};

/// The complete lines of votes.log (a kill cannot tear one write(2) to a file, but the check
/// does not rely on it).
std::vector<vote_line> read_votes(const std::filesystem::path& p) {
   std::ifstream in(p);
   std::vector<vote_line> out;
   std::string line;
   while (std::getline(in, line)) {
      if (in.eof())
         break; // no newline: incomplete
      std::istringstream f(line);
      vote_line v;
      int strong = 0;
      f >> v.slot >> v.block_id >> strong;
      REQUIRE(f);
      out.push_back(v);
   }
   return out;
}

} // namespace

TEST_CASE("crash: kill -9 of a finalizer, restarted on overlapping forks, never casts conflicting votes",
          "[chain][crash][finalizer]") {
   const auto dir = std::filesystem::temp_directory_path() / fmt::format("finalizer-crash-{}", ::getpid());
   std::filesystem::remove_all(dir);
   std::filesystem::create_directories(dir);
   std::mt19937 rng(Catch::rngSeed());
   std::uniform_int_distribution<int> delay_ms(20, 1000);

   const auto start = std::chrono::steady_clock::now();
   int kills = 0, runs_that_voted = 0;
   std::size_t votes_before = 0;
   while (kills < min_kills && std::chrono::steady_clock::now() - start < test_budget) {
      // Start the next fork a little before the last slot voted on, so its first blocks compete
      // with slots already voted on.
      const auto votes = read_votes(dir / "votes.log");
      const uint64_t last = votes.empty() ? 10 : votes.back().slot;
      const auto first_slot = static_cast<uint32_t>(std::max<int64_t>(10, static_cast<int64_t>(last) - int64_t(rng() % 12)));
      const pid_t pid = spawn_finalizer(dir, first_slot, static_cast<uint32_t>(rng()));
      REQUIRE(pid > 0);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
      REQUIRE(::kill(pid, SIGKILL) == 0);
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      REQUIRE(WIFSIGNALED(status)); // it was still voting, not failed
      ++kills;
      const auto now = read_votes(dir / "votes.log");
      runs_that_voted += now.size() > votes_before;
      votes_before = now.size();
   }
   const auto votes = read_votes(dir / "votes.log");
   INFO(kills << " kills, " << votes.size() << " votes, " << runs_that_voted << " runs voted");
   CHECK(kills >= min_kills);
   CHECK(runs_that_voted >= 5); // restarts went on voting (the check below is not vacuous)
   std::set<uint64_t> slots;
   for (std::size_t i = 0; i < votes.size(); ++i) {
      INFO("vote " << i << " on slot " << votes[i].slot << " block " << votes[i].block_id);
      CHECK(slots.insert(votes[i].slot).second); // no double vote
      if (i > 0)
         CHECK(votes[i].slot > votes[i - 1].slot); // monotony across restarts
   }
   std::filesystem::remove_all(dir);
}
