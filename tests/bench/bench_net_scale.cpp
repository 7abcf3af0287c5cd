// Scale: one p2pnode (devnet genesis, not producing) as a seed/relay node with hundreds of peers,
// under Spring's stress case (spring#1054): a 1 MB block every 0.5 s.
//
// This process holds the peers: --peers fake peers on one thread (scale_peers.hpp: epoll, one
// shared receive buffer), each handshaken as a current peer, plus one more fake peer, the
// producer, which sends each block at its slot (blocks built on the fly by scale_blocks.hpp: 8
// transactions of ~124 KB action data, signed by the scheduled producer). --real p2pnode
// followers also connect to the node and must end on its head. A third of the way through (a
// fifth with --quick), --slow peers join that read 10 KB/s; the node must drop each at its
// write-queue cap without delaying the fast peers (compared: the blocks before they joined
// against the blocks after).
//
// Figures: fan-out per block (the producer's send start to the moment the last fast peer has
// read the whole block) p50/p99/max, before and with the slow peers; missed 0.5 s deadlines (a
// block not at every fast peer when the next one is due); the node's CPU (/proc/PID/stat) and
// RSS (VmRSS, VmHWM); the write-queue high-water marks the node reports (p2pctl peers'
// write_queue_high_water); what happened to each slow peer. Targets are printed beside the
// figures (MISSED when not met); the exit code is non-zero only when the run itself failed.
// Usage: bench_net_scale [--quick] [--peers N] [--slow N] [--real N] [--seconds S]
#include "net_bench_support.hpp"
#include "scale_blocks.hpp"
#include "scale_peers.hpp"

#include "net/connection.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <sys/resource.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

using namespace bench;

namespace {

constexpr auto slot = std::chrono::milliseconds(500);

/// utime + stime of a process in seconds (0 when unreadable).
double cpu_seconds(pid_t pid) {
   std::ifstream in(fmt::format("/proc/{}/stat", pid));
   std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
   const auto close = s.rfind(')');
   if (close == std::string::npos)
      return 0;
   std::istringstream rest(s.substr(close + 2));
   std::string field;
   unsigned long long ut = 0, st = 0;
   for (int i = 3; i <= 15 && rest >> field; ++i) { // fields 14 and 15: utime, stime
      if (i == 14)
         ut = std::stoull(field);
      if (i == 15)
         st = std::stoull(field);
   }
   return double(ut + st) / double(::sysconf(_SC_CLK_TCK));
}

/// A /proc/PID/status value in KiB ("VmRSS:", "VmHWM:"), 0 when unreadable.
uint64_t proc_kib(pid_t pid, const char* key) {
   std::ifstream in(fmt::format("/proc/{}/status", pid));
   for (std::string line; std::getline(in, line);)
      if (line.starts_with(key))
         return std::stoull(line.substr(std::strlen(key)));
   return 0;
}

double ms(steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct block_record {
   uint32_t num = 0;
   steady::time_point sent{}, written{}; ///< the producer's write: start, end
   steady::time_point first_fast{}, last_fast{};
   uint32_t fast_done = 0;
};

/// What the node's `peers` answers said over the run, by the peer's remote port.
struct queue_watch {
   std::mutex m;
   std::map<uint16_t, uint64_t> high_water; ///< the largest write_queue_high_water seen
   uint64_t polls = 0, failed_polls = 0;
   uint64_t max_rss_kib = 0;

   void poll(const node_process& node) {
      auto r = control_request(node.data_dir() / "p2pnode.sock", R"({"cmd":"peers"})");
      rapidjson::Document d;
      if (r)
         d.Parse(r->data(), r->size());
      const uint64_t rss = vm_rss_kib(node.pid());
      std::lock_guard lock(m);
      max_rss_kib = std::max(max_rss_kib, rss);
      ++polls;
      if (!r || d.HasParseError() || !d.IsObject() || !d.HasMember("result") || !d["result"].HasMember("peers")) {
         ++failed_polls;
         return;
      }
      for (const auto& p : d["result"]["peers"].GetArray()) {
         if (!p.HasMember("remote_port") || !p.HasMember("write_queue_high_water"))
            continue;
         auto& hw = high_water[uint16_t(p["remote_port"].GetUint())];
         hw = std::max<uint64_t>(hw, p["write_queue_high_water"].GetUint64());
      }
   }
   uint64_t of(uint16_t port) {
      std::lock_guard lock(m);
      auto it = high_water.find(port);
      return it == high_water.end() ? 0 : it->second;
   }
};

std::string fan_out_line(std::vector<double> v) {
   if (v.empty())
      return "no blocks";
   const double p50 = quantile(v, 0.5), p99 = quantile(v, 0.99);
   return fmt::format("p50 {:7.1f} ms  p99 {:7.1f} ms  max {:7.1f} ms  ({} blocks)", p50, p99, v.back(), v.size());
}

const char* target(bool met) { return met ? "met" : "MISSED"; }

} // namespace

int main(int argc, char** argv) {
   const bool quick = has_flag(argc, argv, "--quick");
   {
      std::vector<char*> rest{argv[0]};
      for (int i = 1; i < argc; ++i)
         if (std::string_view(argv[i]) != "--quick")
            rest.push_back(argv[i]);
      require_numeric_options(int(rest.size()), rest.data(), {"--peers", "--slow", "--real", "--seconds"},
                              "bench_net_scale [--quick] [--peers N] [--slow N] [--real N] [--seconds S]");
   }
   const auto n_fast_default = quick ? 50 : 200;
   const auto n_peers = std::size_t(option_value(argc, argv, "--peers", n_fast_default));
   const auto n_slow = std::min(n_peers, std::size_t(option_value(argc, argv, "--slow", 5)));
   const auto n_fast = n_peers - n_slow;
   const auto n_real = std::size_t(option_value(argc, argv, "--real", quick ? 1 : 2));
   const auto seconds = option_value(argc, argv, "--seconds", quick ? 40 : 300);
   const auto n_blocks = std::size_t(seconds * 2);
   // Blocks from this index on are sent with the slow peers (a fifth of the way in --quick, so
   // that the ~28 s a slow peer's queue takes to reach the cap fit in the run).
   const std::size_t slow_join = quick ? n_blocks / 5 : n_blocks / 3;
   constexpr std::size_t trx_per_block = 8, data_bytes = 124'000;

   // Every peer is a descriptor here and in the node (spawned after this, so it inherits it).
   rlimit nofile{};
   ::getrlimit(RLIMIT_NOFILE, &nofile);
   nofile.rlim_cur = nofile.rlim_max;
   ::setrlimit(RLIMIT_NOFILE, &nofile);

   fmt::print("== scale: one relay node, {} fake peers ({} fast, {} slow at 10 KB/s from block {}), {} real p2pnode{}, "
              "1 MB block every 0.5 s for {} s{}\n",
              n_peers, n_fast, n_slow, slow_join + 1, n_real, n_real == 1 ? "" : "s", seconds, quick ? " (quick)" : "");
   fmt::print("load average (start) {}, {} cores\n", load_average(), std::thread::hardware_concurrency());

   block_builder builder(trx_per_block, data_bytes);
   const auto root = scratch_dir("bench_net_scale");
   node_process a("A", root / "A", free_port());
   a.max_nodes_per_host = uint32_t(n_peers + 16);
   a.start({"--max-clients", "0"});
   if (!a.wait_ready()) {
      fmt::print("node A did not start\n");
      print_log_tail(a);
      return 1;
   }
   std::vector<std::unique_ptr<node_process>> real;
   for (std::size_t i = 0; i < n_real; ++i) {
      real.push_back(std::make_unique<node_process>(fmt::format("F{}", i + 1), root / fmt::format("F{}", i + 1), free_port()));
      real.back()->start({"--p2p-peer-address", a.endpoint()});
      if (!real.back()->wait_ready()) {
         fmt::print("follower {} did not start\n", real.back()->name());
         print_log_tail(*real.back());
         return 1;
      }
   }
   const auto s = *a.status();

   std::vector<block_record> rec(n_blocks);
   // Block head+1 is empty (it moves the chain from the genesis time to now); the measured blocks follow.
   const uint32_t first_num = builder.head_num() + 2;
   for (std::size_t i = 0; i < n_blocks; ++i)
      rec[i].num = first_num + uint32_t(i);
   std::size_t fast_expected = 0;
   peer_fleet fleet([&](std::size_t peer, uint32_t num, steady::time_point at) {
      if (fleet.peers()[peer].slow || num < first_num || num - first_num >= rec.size())
         return;
      auto& r = rec[num - first_num];
      if (r.fast_done++ == 0)
         r.first_fast = at;
      r.last_fast = std::max(r.last_fast, at);
   });

   // The fast peers: connect all, then read until every one has the node's handshake.
   const auto t_connect = steady::now();
   try {
      for (std::size_t i = 0; i < n_fast; ++i)
         fleet.add(a.port(), current_peer_handshake(s, fmt::format("bench-fast-{}", i)), false);
   } catch (const std::exception& e) {
      fmt::print("fast peer {}: {}\n", fleet.peers().size(), e.what());
      return 1;
   }
   while (fleet.handshaken(false) < n_fast && fleet.open(false) == n_fast && steady::now() < t_connect + 20s)
      fleet.poll(10ms);
   fast_expected = fleet.handshaken(false);
   fmt::print("fast peers           {} of {} handshaken in {:.2f} s\n", fast_expected, n_fast,
              seconds_between(t_connect, steady::now()));
   if (fast_expected < n_fast) {
      for (const auto& p : fleet.peers())
         if (p.closed) {
            fmt::print("  a fast peer was closed: {}\n", p.close_reason);
            break;
         }
      print_log_tail(a);
      return 1;
   }

   // The producer: its own thread, a blocking peer_session; block i goes out at its slot.
   auto producer = connect_current_peer(a.port(), s, "bench-producer");
   uint16_t producer_port = 0;
   {
      sockaddr_in local{};
      socklen_t len = sizeof local;
      if (::getsockname(producer.native_handle(), reinterpret_cast<sockaddr*>(&local), &len) == 0)
         producer_port = ntohs(local.sin_port);
   }
   const auto now_slot = core::block_timestamp::from_time_point(core::time_point::from_system(std::chrono::system_clock::now()));
   const uint32_t first_slot = now_slot.slot + 4;
   std::atomic<std::size_t> sent{0};
   std::atomic<bool> producer_failed{false};
   std::atomic<uint32_t> late_sends{0};
   double build_ms_max = 0;
   std::size_t frame_bytes = 0;
   const double cpu_start = cpu_seconds(a.pid());
   const auto wall_start = steady::now();
   double cpu_at_join = 0;
   steady::time_point wall_at_join{};

   std::thread producer_thread([&] {
      try {
         const auto warm_up = builder.build(core::block_timestamp{first_slot - 1}, true);
         std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::microseconds(warm_up.when.to_time_point().us)));
         if (auto r = producer.send_raw(*warm_up.frame); !r)
            throw std::runtime_error("send of the first block failed: " + r.error());
         for (std::size_t i = 0; i < n_blocks; ++i) {
            const auto t_build = steady::now();
            auto b = builder.build(core::block_timestamp{first_slot + uint32_t(i)});
            build_ms_max = std::max(build_ms_max, ms(steady::now() - t_build));
            frame_bytes = std::max(frame_bytes, b.frame->size());
            const auto due = std::chrono::system_clock::time_point(std::chrono::microseconds(b.when.to_time_point().us));
            if (std::chrono::system_clock::now() > due + 100ms)
               ++late_sends;
            std::this_thread::sleep_until(due);
            rec[i].sent = steady::now();
            if (auto r = producer.send_raw(*b.frame); !r) {
               fmt::print("producer: send of block {} failed: {}\n", b.num, r.error());
               producer_failed = true;
               return;
            }
            rec[i].written = steady::now();
            drain(producer);
            sent = i + 1;
         }
      } catch (const std::exception& e) {
         fmt::print("producer: {}\n", e.what());
         producer_failed = true;
      }
   });

   // The node's write queues, polled every second from another thread.
   queue_watch watch;
   std::atomic<bool> stop_watch{false};
   std::thread watch_thread([&] {
      while (!stop_watch) {
         watch.poll(a);
         for (int k = 0; k < 10 && !stop_watch; ++k)
            std::this_thread::sleep_for(100ms);
      }
   });

   // This thread: every peer's reading; the slow peers join a third of the way through.
   bool node_died = false;
   std::string slow_error;
   std::optional<steady::time_point> done_at;
   while (true) {
      fleet.poll(5ms);
      if (n_slow && wall_at_join == steady::time_point{} && sent.load() >= slow_join) {
         wall_at_join = steady::now();
         cpu_at_join = cpu_seconds(a.pid());
         try {
            // Current as of now: a peer that says it is behind would be synced, not relayed to.
            const auto now_status = a.status();
            if (!now_status)
               throw std::runtime_error("no status from the node");
            for (std::size_t i = 0; i < n_slow; ++i)
               fleet.add(a.port(), current_peer_handshake(*now_status, fmt::format("bench-slow-{}", i)), true);
         } catch (const std::exception& e) {
            slow_error = e.what();
         }
      }
      if (!a.alive()) {
         node_died = true;
         break;
      }
      if (!done_at && (sent.load() == n_blocks || producer_failed))
         done_at = steady::now();
      if (done_at && steady::now() > *done_at + 3s)
         break;
   }
   producer_thread.join();
   const double cpu_end = node_died ? 0 : cpu_seconds(a.pid());
   const auto wall_end = *done_at;
   stop_watch = true;
   watch_thread.join();
   if (node_died) {
      fmt::print("node A died during the run\n");
      print_log_tail(a);
      return 1;
   }

   // ---- figures ----
   std::vector<double> all, before, with_slow, first, spread;
   std::size_t missed = 0, incomplete = 0;
   for (std::size_t i = 0; i < sent.load(); ++i) {
      const auto& r = rec[i];
      const bool complete = r.fast_done >= fast_expected;
      const double f = complete ? ms(r.last_fast - r.sent) : 1e9;
      if (!complete)
         ++incomplete;
      else {
         all.push_back(f);
         first.push_back(ms(r.first_fast - r.sent));
         spread.push_back(ms(r.last_fast - r.first_fast));
         (i < slow_join || !n_slow ? before : with_slow).push_back(f);
      }
      if (!complete || r.last_fast > r.sent + slot)
         ++missed;
   }
   fmt::print("blocks               {} sent of {} ({} bytes framed, {} trx each; built in <= {:.0f} ms; {} sent late)\n",
              sent.load(), n_blocks, frame_bytes, trx_per_block, build_ms_max, late_sends.load());
   std::vector<double> writes;
   for (std::size_t i = 0; i < sent.load(); ++i)
      writes.push_back(ms(rec[i].written - rec[i].sent));
   fmt::print("producer's write     {}\n", fan_out_line(writes));
   auto all_sorted = all;
   const double p99 = quantile(all_sorted, 0.99);
   fmt::print("fan-out to {} fast   {}  target p99 <= 100 ms: {}\n", fast_expected, fan_out_line(all),
              target(!all.empty() && p99 <= 100.0 && incomplete == 0));
   fmt::print("  first peer done   {}\n", fan_out_line(first));
   fmt::print("  first to last     {}\n", fan_out_line(spread));
   if (n_slow) {
      fmt::print("  before slow peers  {}\n", fan_out_line(before));
      fmt::print("  with slow peers    {}\n", fan_out_line(with_slow));
   }
   fmt::print("deadlines            {} of {} blocks not at every fast peer within 0.5 s ({} never complete)  target 0 for {} s: {}\n",
              missed, sent.load(), incomplete, seconds, target(missed == 0 && sent.load() == n_blocks));

   const double wall = seconds_between(wall_start, wall_end);
   const uint64_t rss = proc_kib(a.pid(), "VmRSS:"), hwm = proc_kib(a.pid(), "VmHWM:");
   fmt::print("node CPU             {:.1f}% of one core ({:.1f} s user+sys over {:.1f} s)", 100 * (cpu_end - cpu_start) / wall,
              cpu_end - cpu_start, wall);
   if (n_slow && wall_at_join != steady::time_point{})
      fmt::print("; {:.1f}% before the slow peers, {:.1f}% with them",
                 100 * (cpu_at_join - cpu_start) / seconds_between(wall_start, wall_at_join),
                 100 * (cpu_end - cpu_at_join) / seconds_between(wall_at_join, wall_end));
   fmt::print("\n");
   fmt::print("node RSS             {:.1f} MB now, {:.1f} MB peak (VmHWM)  target <= 512 MB: {}\n", rss / 1024.0, hwm / 1024.0,
              target(hwm <= 512 * 1024));

   // Write queues: the largest high-water mark the node reported for each kind of peer.
   uint64_t fast_hw = 0, slow_hw = 0, other_hw = 0;
   std::vector<double> fast_hws;
   std::map<uint16_t, bool> ours;
   for (const auto& p : fleet.peers()) {
      const uint64_t hw = watch.of(p.local_port);
      ours[p.local_port] = true;
      if (p.slow)
         slow_hw = std::max(slow_hw, hw);
      else {
         fast_hw = std::max(fast_hw, hw);
         fast_hws.push_back(double(hw));
      }
   }
   ours[producer_port] = true;
   {
      std::lock_guard lock(watch.m);
      for (const auto& [port, hw] : watch.high_water)
         if (!ours.count(port))
            other_hw = std::max(other_hw, hw);
   }
   fmt::print("write-queue high-water (node's peers JSON, polled every 1 s: {} polls, {} failed)\n", watch.polls, watch.failed_polls);
   fmt::print("  fast peers         max {:.2f} MB, median {:.2f} MB\n", fast_hw / 1048576.0, quantile(fast_hws, 0.5) / 1048576.0);
   fmt::print("  producer           {:.2f} MB\n", watch.of(producer_port) / 1048576.0);
   if (n_real)
      fmt::print("  real p2pnodes      max {:.2f} MB\n", other_hw / 1048576.0);
   if (n_slow) {
      constexpr auto cap_mib = core::connection::max_write_queue_bytes / (1024 * 1024);
      fmt::print("  slow peers         max {:.2f} MB (cap: closed above {} MiB when the peer next sends, {} MiB on enqueue)\n",
                 slow_hw / 1048576.0, cap_mib, 2 * cap_mib);
      if (!slow_error.empty())
         fmt::print("  slow peers could not all connect: {}\n", slow_error);
      std::size_t dropped = 0;
      for (const auto& p : fleet.peers()) {
         if (!p.slow)
            continue;
         dropped += p.closed;
         fmt::print("  slow peer :{}       {}, read {:.1f} KB ({:.1f} KB/s), last high-water seen {:.2f} MB\n", p.local_port,
                    p.closed ? fmt::format("dropped by the node after {:.1f} s ({})", seconds_between(p.connected_at, p.closed_at),
                                           p.close_reason)
                             : fmt::format("still open after {:.1f} s", seconds_between(p.connected_at, steady::now())),
                    p.bytes_read / 1000.0,
                    p.bytes_read / 1000.0 / seconds_between(p.connected_at, p.closed ? p.closed_at : steady::now()),
                    watch.of(p.local_port) / 1048576.0);
      }
      fmt::print("slow peers dropped   {} of {}  target all, at the cap: {}\n", dropped, n_slow, target(dropped == n_slow));
      if (!before.empty() && !with_slow.empty()) {
         auto b = before, w = with_slow;
         const double pb = quantile(b, 0.99), pw = quantile(w, 0.99), mb = quantile(b, 0.5), mw = quantile(w, 0.5);
         fmt::print("slow peers' effect   fast peers' fan-out with them p50 {:+.1f} ms, p99 {:+.1f} ms against the blocks "
                    "before them ({})\n", mw - mb, pw - pb,
                    pw <= std::max(pb * 1.2, pb + 20.0) ? "unchanged within noise" : "MISSED: slower with them");
      }
   }
   std::size_t fast_closed = 0;
   for (const auto& p : fleet.peers())
      fast_closed += !p.slow && p.closed;
   if (fast_closed)
      fmt::print("fast peers closed    {} (MISSED: the node dropped peers that read everything)\n", fast_closed);

   // The node and the real followers end on the last block.
   bool failed = producer_failed || sent.load() < n_blocks;
   const uint32_t last = rec.empty() ? 0 : rec[sent.load() ? sent.load() - 1 : 0].num;
   const auto head_ok = [&](const node_status& st) { return st.head_num >= last; };
   auto a_at = a.wait_for(head_ok, 5s);
   auto sa = a.status();
   fmt::print("node A               head {} (last block sent {}): {}\n", sa ? sa->head_num : 0, last,
              a_at ? "applied every block" : "FAILED: blocks not applied");
   failed = failed || !a_at;
   for (auto& f : real) {
      auto at = f->wait_for([&](const node_status& st) { return sa && st.head_id == sa->head_id; }, 10s);
      auto sf = f->status();
      fmt::print("real {}              head {}: {}\n", f->name(), sf ? sf->head_num : 0,
                 at ? "same head as A" : "FAILED: not on A's head");
      failed = failed || !at;
   }
   fmt::print("bench process        {:.1f} s CPU, VmHWM {}\n", cpu_seconds(::getpid()), proc_status("VmHWM:"));
   print_log_tail(a, 6);
   fmt::print("load average (end)   {}\n", load_average());
   for (auto& f : real)
      f->stop();
   a.stop();
   if (!failed)
      std::filesystem::remove_all(root);
   return failed ? 1 : 0;
}
