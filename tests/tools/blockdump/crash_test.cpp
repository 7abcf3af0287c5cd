// The real blockdump binary importing a few thousand blocks, killed with SIGKILL at random
// moments: after every kill the data dir opens, verifies, and its LIB never goes back; a final
// run resumes to the source's head.
#include "blockdump_fixture.hpp"
#include "chain_fixture.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

extern char** environ;

namespace {

/// Starts blockdump with `args`, stdout and stderr to /dev/null.
pid_t spawn_blockdump(const std::vector<std::string>& args) {
   std::vector<char*> argv;
   std::string bin = BLOCKDUMP_BIN;
   argv.push_back(bin.data());
   std::vector<std::string> copy = args;
   for (auto& a : copy)
      argv.push_back(a.data());
   argv.push_back(nullptr);
   posix_spawn_file_actions_t fa;
   posix_spawn_file_actions_init(&fa);
   posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
   posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
   pid_t pid = -1;
   const int rc = posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ);
   posix_spawn_file_actions_destroy(&fa);
   REQUIRE(rc == 0);
   return pid;
}

} // namespace

TEST_CASE("blockdump import: SIGKILL at random moments, reopen is consistent and resumes", "[blockdump][crash]") {
   auto g = test::make_linear_chain(3000);
   auto dir = test::scratch_dir("crash");
   test::write_nodeos_log(dir / "src", g.best);
   const auto dd = (dir / "dd").string();
   const std::vector<std::string> import_args = {"import", "--data-dir", dd, "--blocks-dir", (dir / "src").string()};

   // How long one uninterrupted import takes here, so kills land inside an import whatever the
   // machine's speed.
   const auto probe = (dir / "probe").string();
   const auto t0 = std::chrono::steady_clock::now();
   REQUIRE(test::run_blockdump({"import", "--data-dir", probe, "--blocks-dir", (dir / "src").string()}).rc == 0);
   const auto full_ms = std::max<long>(
      20, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());

   /// Total time budget for the kill loop.
   constexpr auto budget = std::chrono::seconds(20);
   const auto deadline = std::chrono::steady_clock::now() + budget;
   std::mt19937 rng(12345);
   std::uniform_int_distribution<long> delay_ms(1, full_ms * 9 / 10);
   uint32_t last_lib = 0;
   int kills = 0;
   while (kills < 12 && std::chrono::steady_clock::now() < deadline) {
      const pid_t pid = spawn_blockdump(import_args);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
      ::kill(pid, SIGKILL);
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      const bool killed = WIFSIGNALED(status);
      if (killed)
         ++kills;
      else
         CHECK(WEXITSTATUS(status) == 0); // finished before the kill
      if (!std::filesystem::exists(dir / "dd" / "chain" / "CURRENT"))
         continue; // killed before the store existed
      auto info = test::run_blockdump({"info", "--json", "--data-dir", dd});
      INFO("after kill " << kills << ": " << info.err);
      REQUIRE(info.rc == 0);
      rapidjson::Document d;
      d.Parse(info.out.c_str());
      REQUIRE(d.IsObject());
      CHECK(std::string(d["integrity"].GetString()) == "ok");
      const uint32_t lib = d["lib_block_num"].GetUint();
      CHECK(lib >= last_lib);
      last_lib = lib;
      if (!killed) { // the import completed: start over from an empty data dir
         std::filesystem::remove_all(dd);
         last_lib = 0;
      }
   }
   CHECK(kills >= 10);

   auto r = test::run_blockdump({"import", "--data-dir", dd, "--blocks-dir", (dir / "src").string(), "--json"});
   INFO(r.err);
   REQUIRE(r.rc == 0);
   rapidjson::Document c;
   c.Parse(r.out.c_str());
   REQUIRE(c.IsObject());
   CHECK(std::string(c["head_block_id"].GetString()) == g.best.back()->calculate_id().to_string());
   CHECK(c["invalid"].GetUint() == 0);
   if (last_lib > 0)
      CHECK(c["old"].GetUint() + c["duplicate"].GetUint() >= last_lib);
   CHECK(c["applied"].GetUint() + c["old"].GetUint() + c["duplicate"].GetUint() == g.best.size());
}
