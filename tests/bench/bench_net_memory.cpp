// Memory of the networked node: VmRSS of an idle node (devnet genesis, not producing) a few
// seconds after start, then with C idle fake peers connected and handshaken as current peers;
// prints the idle RSS and the increase per connection.
// Usage: bench_net_memory [--quick] [--connections C]
#include "net_bench_support.hpp"

#include <fmt/format.h>

using namespace bench;

int main(int argc, char** argv) {
   const bool quick = has_flag(argc, argv, "--quick");
   const auto conns = std::size_t(option_value(argc, argv, "--connections", 100));
   fmt::print("== memory: idle node, then {} idle handshaken connections{}\n", conns, quick ? " (quick)" : "");
   fmt::print("load average (start) {}\n", load_average());

   const auto root = scratch_dir("bench_net_memory");
   node_process a("A", root / "A", free_port());
   // max-clients 0: no limit on inbound connections.
   a.start({"--max-clients", "0"});
   if (!a.wait_ready()) {
      fmt::print("node did not start\n");
      print_log_tail(a);
      return 1;
   }
   std::this_thread::sleep_for(quick ? 2s : 5s);
   const uint64_t idle_kib = vm_rss_kib(a.pid());
   fmt::print("idle RSS             {:.1f} MB ({} KiB; target <= 64 MB: {})\n", idle_kib / 1024.0, idle_kib,
              verdict(idle_kib <= 64 * 1024));

   const auto s = *a.status();
   std::vector<msgcraft::peer_session> peers;
   std::string error;
   for (std::size_t i = 0; i < conns; ++i) {
      try {
         peers.push_back(connect_current_peer(a.port(), s, fmt::format("bench-idle-{}", i)));
      } catch (const std::exception& e) {
         error = e.what();
         break;
      }
   }
   // Let the node settle (time pings answered, buffers allocated).
   const auto settle_until = steady::now() + (quick ? 2s : 5s);
   while (steady::now() < settle_until) {
      for (auto& p : peers)
         drain(p);
      std::this_thread::sleep_for(50ms);
   }
   const auto st = a.status();
   const uint64_t busy_kib = vm_rss_kib(a.pid());
   const double per_conn_kib = peers.empty() ? 0 : (double(busy_kib) - double(idle_kib)) / double(peers.size());
   fmt::print("connections          {} handshaken (node reports {} peers){}\n", peers.size(), st ? st->peer_count : 0,
              error.empty() ? "" : " - stopped: " + error);
   fmt::print("RSS with connections {:.1f} MB ({} KiB)\n", busy_kib / 1024.0, busy_kib);
   fmt::print("per connection       {:.1f} KiB (target <= 256 KB: {})\n", per_conn_kib, verdict(per_conn_kib <= 256));
   for (auto& p : peers)
      p.close();
   print_log_tail(a, 6);
   a.stop();
   std::filesystem::remove_all(root);
   fmt::print("load average (end)   {}\n", load_average());
   return 0;
}
