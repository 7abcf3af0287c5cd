// msgcraft fuzz against fragile_peer (started through --exec): the planted crash is found
// within a bounded number of runs under a fixed seed and its reproducer replays it with
// `msgcraft send -f`; closes are not findings; a seed gives the same cases; a contradiction
// and a hang are found too.
#include "run_msgcraft.hpp"

#include "capture_writer.hpp"

#include "fuzz/exec_target.hpp"
#include "net/frame.hpp"

#include "support/node_process.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include <csignal>
#include <fstream>
#include <sstream>

using namespace std::chrono_literals;

namespace {

struct fuzz_run {
   test::msgcraft_result result;
   std::vector<rapidjson::Document> lines;
   const rapidjson::Value* summary = nullptr;
   std::vector<const rapidjson::Value*> findings;
};

/// Port 0: msgcraft picks a free port and writes it where the command says {port}.
fuzz_run fuzz(const std::string& mode, uint16_t port, const std::filesystem::path& findings,
              std::vector<std::string> extra) {
   const std::string port_arg = port == 0 ? "{port}" : std::to_string(port);
   std::vector<std::string> args = {"fuzz",       fmt::format("127.0.0.1:{}", port),
                                    "--exec",     fmt::format("{} {} {}", FRAGILE_PEER_BIN, port_arg, mode),
                                    "--findings", findings.string()};
   args.insert(args.end(), extra.begin(), extra.end());
   fuzz_run r;
   r.result = test::run_msgcraft(args);
   for (const auto& l : r.result.lines()) {
      rapidjson::Document d;
      d.Parse(l.c_str());
      INFO(l);
      REQUIRE_FALSE(d.HasParseError());
      r.lines.push_back(std::move(d));
   }
   for (const auto& d : r.lines) {
      const std::string ev = d["event"].GetString();
      if (ev == "summary")
         r.summary = &d;
      if (ev == "finding")
         r.findings.push_back(&d);
   }
   return r;
}

std::string read_file(const std::string& path) {
   std::ifstream f(path);
   std::stringstream ss;
   ss << f.rdbuf();
   return ss.str();
}

} // namespace

TEST_CASE("msgcraft fuzz: finds fragile_peer's planted crash and the reproducer replays it", "[msgcraft][fuzz]") {
   it::scratch_root root("fuzz_crash");
   const auto port = it::free_port();
   auto r = fuzz("crash", port, root.path() / "findings",
                 {"--seed", "1", "--runs", "20000", "--max-findings", "1", "--hang-timeout", "3"});
   INFO(r.result.out << r.result.err);
   CHECK(r.result.code == 1);
   REQUIRE(r.findings.size() == 1);
   const auto& f = *r.findings[0];
   CHECK(std::string(f["kind"].GetString()) == "crash");
   CHECK(std::string(f["detail"].GetString()).find("SIGABRT") != std::string::npos);
   CHECK(f["reproduced"].GetBool());
   CHECK(f["frames"].GetUint() == 1);
   CHECK(f["run"].GetUint64() < 20000);
   REQUIRE(r.summary);
   CHECK((*r.summary)["findings"].GetUint() == 1);

   // The reproducer: one sync_request whose end_block is the boundary, readable JSON.
   const std::string file = f["file"].GetString();
   const auto text = read_file(file);
   INFO(text);
   CHECK(text.find("\"type\":\"sync_request_message\"") != std::string::npos);
   CHECK(text.find("\"end_block\":4294967295") != std::string::npos);
   CHECK(text.find("# replay: msgcraft send -f") != std::string::npos);
   REQUIRE(f.HasMember("log"));
   CHECK(std::filesystem::exists(f["log"].GetString()));

   // Replayed with `msgcraft send -f FILE HOST:PORT` against a fresh fragile_peer: it aborts.
   const auto port2 = it::free_port();
   it::background_process peer(FRAGILE_PEER_BIN, {std::to_string(port2), "crash"}, root.path() / "replay.log",
                               root.path() / "replay.log");
   REQUIRE(it::wait_until([&] { return msgcraft::fuzz::port_accepts("127.0.0.1", port2, 200ms); }, 5s));
   auto replay = it::run_tool(it::msgcraft_bin(), {"send", "-f", file, fmt::format("127.0.0.1:{}", port2), "--timeout", "3"});
   INFO(replay.out << replay.err);
   CHECK(peer.wait(5s) == -SIGABRT);
}

TEST_CASE("msgcraft fuzz: closes are no findings, and a seed gives the same cases", "[msgcraft][fuzz]") {
   it::scratch_root root("fuzz_sturdy");
   std::vector<std::vector<std::string>> cases[2];
   for (int round = 0; round < 2; ++round) {
      const auto port = it::free_port();
      auto r = fuzz("sturdy", port, root.path() / fmt::format("findings{}", round),
                    {"--seed", "5", "--runs", "300", "--verbose"});
      INFO(r.result.out << r.result.err);
      CHECK(r.result.code == 0);
      CHECK(r.findings.empty());
      REQUIRE(r.summary);
      CHECK((*r.summary)["runs"].GetUint() == 300);
      uint64_t closes = 0;
      for (auto it = (*r.summary)["closes"].MemberBegin(); it != (*r.summary)["closes"].MemberEnd(); ++it)
         closes += it->value.GetUint64();
      CHECK(closes > 0);
      CHECK((*r.summary)["decodable_runs"].GetUint() > 0);
      for (const auto& d : r.lines)
         if (std::string(d["event"].GetString()) == "run") {
            std::vector<std::string> m;
            for (const auto& v : d["mutations"].GetArray())
               m.emplace_back(v.GetString());
            cases[round].push_back(std::move(m));
         }
   }
   REQUIRE(cases[0].size() == 300);
   CHECK(cases[0] == cases[1]);
}

TEST_CASE("msgcraft fuzz: a message the advertised version forbids is a contradiction", "[msgcraft][fuzz]") {
   it::scratch_root root("fuzz_chatty");
   auto r = fuzz("chatty", 0, root.path() / "findings", {"--seed", "2", "--runs", "50", "--max-findings", "1"});
   INFO(r.result.out << r.result.err);
   CHECK(r.result.code == 1);
   REQUIRE(r.findings.size() == 1);
   CHECK(std::string((*r.findings[0])["key"].GetString()) == "contradiction/answer.version_gate");
   CHECK(std::string((*r.findings[0])["detail"].GetString()).find("vote_message") != std::string::npos);
   CHECK(std::string(r.lines[0]["target"].GetString()) != "127.0.0.1:0"); // the port it picked
   // Port 0 without {port} in --exec is a usage error.
   CHECK(test::run_msgcraft({"fuzz", "127.0.0.1:0", "--exec", "true"}).code == 2);
   CHECK(test::run_msgcraft({"fuzz", "127.0.0.1:0"}).code == 2);
}

TEST_CASE("msgcraft fuzz: a peer that stops answering pings is a hang", "[msgcraft][fuzz]") {
   it::scratch_root root("fuzz_hang");
   const auto port = it::free_port();
   auto r = fuzz("hang", port, root.path() / "findings",
                 {"--seed", "3", "--runs", "5000", "--max-findings", "1", "--hang-timeout", "0.5", "--minimise-runs", "4"});
   INFO(r.result.out << r.result.err);
   CHECK(r.result.code == 1);
   REQUIRE(r.findings.size() == 1);
   CHECK(std::string((*r.findings[0])["kind"].GetString()) == "hang");
   CHECK(read_file((*r.findings[0])["file"].GetString()).find("notice_message") != std::string::npos);
}

TEST_CASE("msgcraft fuzz: seeds from a capture", "[msgcraft][fuzz]") {
   it::scratch_root root("fuzz_pcap");
   std::vector<test::sent_bytes> sent;
   double ts = 1.0;
   core::handshake_message h;
   h.network_version = 1212;
   h.p2p_address = "x:1 - 1234567";
   h.os = "linux";
   for (const auto& f : {core::encode_frame(h), core::encode_frame(core::sync_request_message{1, 9}),
                         core::encode_frame(core::time_message{0, 0, 77, 0})})
      sent.push_back({ts += 0.1, true, f});
   const auto capture = root.path() / "seeds.pcapng";
   test::write_capture(capture, test::capture_format::pcapng, test::link_framing::ethernet,
                       test::tcp_peer::ipv4(10, 0, 0, 2, 40000), test::tcp_peer::ipv4(10, 0, 0, 1, 9876),
                       test::tcp_session(sent, 1448, 1, 2));
   const auto port = it::free_port();
   auto r = fuzz("sturdy", port, root.path() / "findings",
                 {"--pcap", capture.string(), "--no-builtin-seeds", "--runs", "30", "--seed", "4"});
   INFO(r.result.out << r.result.err);
   CHECK(r.result.code == 0);
   REQUIRE_FALSE(r.lines.empty());
   CHECK(r.lines[0]["seeds"].GetUint() == 3);
   CHECK(std::string(r.lines[0]["seed_sources"].GetString()) == "pcap " + capture.string());
   CHECK(it::run_tool(it::msgcraft_bin(), {"fuzz", "127.0.0.1:1", "--pcap", (root.path() / "none.pcap").string()}).rc == 1);
}
