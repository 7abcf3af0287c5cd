// Transaction relay through a line of three nodes A - B - C (A producing): a fake peer on A sends
// M pre-signed unique transactions (TAPO to A's head, one K1 signature each) as fast as the socket
// takes them; a fake peer on C, handshaken as a current peer, counts the packed_transaction
// messages C relays to it. Prints the send rate, the sustained receive rate at C (first to last)
// and how many arrived.
// Usage: bench_net_trx [--quick] [--trx M]
#include "net_bench_support.hpp"

#include "crypto/sha256.hpp"

#include <fmt/format.h>

#include <atomic>
#include <future>

using namespace bench;

int main(int argc, char** argv) {
   const bool quick = has_flag(argc, argv, "--quick");
   const auto count = std::size_t(option_value(argc, argv, "--trx", quick ? 5'000 : 50'000));
   /// Frames written per send_raw call.
   constexpr std::size_t batch_trx = 64;
   fmt::print("== transaction relay: {} transactions A -> B -> C{}\n", count, quick ? " (quick)" : "");
   fmt::print("load average (start) {}\n", load_average());

   const auto root = scratch_dir("bench_net_trx");
   node_process a("A", root / "A", free_port()), b("B", root / "B", free_port()), c("C", root / "C", free_port());
   a.start(producer_args());
   b.start({"--p2p-peer-address", a.endpoint()});
   c.start({"--p2p-peer-address", b.endpoint()});
   for (auto* n : {&a, &b, &c})
      if (!n->wait_ready()) {
         fmt::print("node {} did not start\n", n->name());
         print_log_tail(*n);
         return 1;
      }
   const auto sa = a.wait_for([](const node_status& s) { return s.head_num >= 4; }, 20s);
   const auto sc = c.wait_for(
      [&](const node_status& s) {
         auto st = a.status();
         return st && s.sync_state == "in_sync" && s.lib_num >= 3 && s.head_num + 2 >= st->head_num;
      },
      30s);
   if (!sa || !sc) {
      fmt::print("the line A - B - C did not come up\n");
      for (auto* n : {&a, &b, &c})
         print_log_tail(*n);
      return 1;
   }

   // TAPO and chain id from A.
   const auto a_status = *a.status();
   const auto chain_id = msgcraft::devnet_chain_id();
   const auto ref_id = *core::block_id_type::from_string(a_status.head_id);
   const auto expiration = seconds_from_now(quick ? 180 : 600);
   const auto key = core::private_key::from_string(core::devnet_private_key_wif).value();

   // Pre-sign and pre-frame on every core.
   const auto t_sign = steady::now();
   std::vector<std::vector<uint8_t>> batches((count + batch_trx - 1) / batch_trx);
   {
      const unsigned workers = std::max(1u, std::thread::hardware_concurrency());
      std::vector<std::future<void>> done;
      for (unsigned w = 0; w < workers; ++w)
         done.push_back(std::async(std::launch::async, [&, w] {
            for (std::size_t bi = w; bi < batches.size(); bi += workers)
               for (std::size_t i = bi * batch_trx; i < std::min(count, (bi + 1) * batch_trx); ++i) {
                  auto t = make_signed_transaction(chain_id, a_status.head_num, ref_id, i, key, expiration);
                  auto f = core::encode_frame(core::net_message{std::move(t)});
                  batches[bi].insert(batches[bi].end(), f.begin(), f.end());
               }
         }));
      for (auto& f : done)
         f.get();
   }
   fmt::print("pre-signed {} transactions in {:.2f} s (TAPO block {}, {} bytes framed each)\n", count,
              seconds_between(t_sign, steady::now()), a_status.head_num,
              batches.empty() ? 0 : batches[0].size() / std::min(count, batch_trx));

   // Receiver on C, in its own thread.
   auto receiver = connect_current_peer(c.port(), *c.status(), "bench-receiver");
   std::atomic<bool> sending_done{false};
   std::size_t received = 0, other_frames = 0;
   std::chrono::system_clock::time_point first_rx{}, last_rx{};
   std::thread rx([&] {
      auto idle_since = steady::now();
      while (received < count) {
         auto r = receiver.receive(steady::now() + 200ms);
         if (r) {
            if (std::holds_alternative<core::packed_transaction>(r->message)) {
               if (received++ == 0)
                  first_rx = r->at;
               last_rx = r->at;
               idle_since = steady::now();
            } else
               ++other_frames;
            continue;
         }
         if (r.status != msgcraft::receive_status::timeout)
            break;
         // Ten seconds without a transaction once everything is sent: the rest is not coming.
         if (sending_done && steady::now() - idle_since > 10s)
            break;
         if (!sending_done)
            idle_since = steady::now();
      }
   });

   auto sender = connect_current_peer(a.port(), a_status, "bench-sender");
   const auto t0 = std::chrono::system_clock::now();
   std::size_t sent_batches = 0;
   std::string send_error;
   for (const auto& bytes : batches) {
      if (auto r = sender.send_raw(bytes); !r) {
         send_error = r.error();
         break;
      }
      if (++sent_batches % 32 == 0)
         drain(sender);
   }
   const auto t1 = std::chrono::system_clock::now();
   sending_done = true;
   const std::size_t sent = std::min(count, sent_batches * batch_trx);
   const double send_s = std::chrono::duration<double>(t1 - t0).count();
   rx.join();

   const double send_rate = sent / send_s;
   const double rx_s = std::chrono::duration<double>(last_rx - first_rx).count();
   const double rx_rate = received > 1 && rx_s > 0 ? (received - 1) / rx_s : 0;
   fmt::print("sent at A            {} tx in {:.3f} s = {:.0f} tx/s{}\n", sent, send_s, send_rate,
              send_error.empty() ? "" : " (send failed: " + send_error + ")");
   fmt::print("received at C        {} of {} tx ({:.1f}%), {} other frames\n", received, count,
              100.0 * double(received) / double(count), other_frames);
   fmt::print("received-at-C rate   {:.0f} tx/s sustained (first to last {:.3f} s; target >= 5000: {})\n", rx_rate,
              rx_s, verdict(rx_rate >= 5000));
   fmt::print("end to end           first sent -> last received at C {:.3f} s = {:.0f} tx/s\n",
              std::chrono::duration<double>(last_rx - t0).count(),
              received / std::chrono::duration<double>(last_rx - t0).count());
   for (auto* n : {&a, &b, &c})
      if (auto s = n->status())
         fmt::print("node {}: head {} lib {} {} unapplied {}\n", n->name(), s->head_num, s->lib_num, s->sync_state,
                    s->unapplied_transactions);
   sender.close();
   receiver.close();
   for (auto* n : {&a, &b, &c})
      print_log_tail(*n, 6);
   for (auto* n : {&c, &b, &a})
      n->stop();
   std::filesystem::remove_all(root);
   fmt::print("load average (end)   {}\n", load_average());
   return 0;
}
