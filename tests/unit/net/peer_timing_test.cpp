// §8 time loop in virtual time (latency, replies, stale and duplicate messages, epoch
// normalisation) and the keepalive decisions at 1× / 2× the interval.
#include "net/peer_timing.hpp"

#include <catch2/catch.hpp>

using namespace core;
using namespace std::chrono_literals;

namespace {
const net_time t0{1'700'000'000'000'000'000};
}

TEST_CASE("peer_timing: a full loop between two peers measures the round trip", "[net]") {
   manual_net_clock clock(t0);
   time_sync_state a, b;

   auto ping = start_ping(a, clock.now());
   REQUIRE(ping);
   CHECK(*ping == time_message{0, 0, t0.count(), 0});
   CHECK_FALSE(start_ping(a, clock.now() + 1ms)); // loop in progress

   clock.advance(30ms); // one-way 30 ms
   auto rb = on_time_message(b, *ping, clock.now(), true);
   CHECK(rb.outcome == time_outcome::replied);
   REQUIRE(rb.reply);
   CHECK(rb.reply->org == t0.count());
   CHECK(rb.reply->rec == (t0 + 30ms).count());
   CHECK(rb.reply->xmt == (t0 + 30ms).count());
   CHECK(rb.reply->dst == 0);
   CHECK_FALSE(rb.latency);

   clock.advance(30ms);
   auto ra = on_time_message(a, *rb.reply, clock.now(), true);
   CHECK(ra.outcome == time_outcome::loop_completed);
   REQUIRE(ra.latency);
   CHECK(*ra.latency == 60ms);
   CHECK(a.ping == net_time{60ms});
   REQUIRE(ra.offset_ns);
   CHECK(*ra.offset_ns == 0); // symmetric path, same clock
   CHECK_FALSE(ra.offset_excessive);
   CHECK(a.org == net_time{0});
   CHECK_FALSE(ra.send_handshake);
   CHECK_FALSE(ra.ping); // latency known: no new ping
   CHECK(block_latency(a.ping) == 0);
   CHECK(block_latency(std::nullopt) == 0);
   CHECK(block_latency(net_time{750ms}) == 2); // round(1.5)
   CHECK(block_latency(net_time{1200ms}) == 2);

   // The same reply again: stale (our loop is over, org reset).
   CHECK(on_time_message(a, *rb.reply, clock.now(), true).outcome == time_outcome::ignored_stale);
}

TEST_CASE("peer_timing: loop end sends a handshake if none received and pings until latency known", "[net]") {
   time_sync_state a;
   auto ping = start_ping(a, t0);
   REQUIRE(ping);
   // A reply to our ping from a skewed peer (clock +2 s).
   time_message reply{t0.count(), (t0 + 2s + 10ms).count(), (t0 + 2s + 10ms).count(), 0};
   auto r = on_time_message(a, reply, t0 + 20ms, false);
   CHECK(r.outcome == time_outcome::loop_completed);
   CHECK(r.send_handshake);
   REQUIRE(r.offset_ns);
   CHECK(std::llabs(*r.offset_ns - std::chrono::nanoseconds(2s).count()) <= 1);
   CHECK(r.offset_excessive);
   CHECK_FALSE(r.ping); // latency now known

   // An org-less message after a loop while latency unknown: reply only.
   time_sync_state c;
   auto r2 = on_time_message(c, time_message{0, 0, t0.count(), 0}, t0 + 1ms, false);
   CHECK(r2.outcome == time_outcome::replied);
   CHECK_FALSE(r2.send_handshake);
}

TEST_CASE("peer_timing: stale, duplicate and zero-xmt messages are ignored", "[net]") {
   time_sync_state a;
   CHECK(on_time_message(a, time_message{0, 0, 0, 0}, t0, true).outcome == time_outcome::ignored_zero_xmt);

   auto ping1 = start_ping(a, t0);
   REQUIRE(ping1);
   // A reply to some other loop (org ≠ ours).
   time_message other{(t0 - 5s).count(), t0.count(), t0.count(), 0};
   CHECK(on_time_message(a, other, t0 + 1ms, true).outcome == time_outcome::ignored_stale);
   CHECK(a.org == t0); // loop still in progress
   CHECK_FALSE(a.ping);

   // Their ping, then the same ping again (same xmt): duplicate, no second reply.
   time_message theirs{0, 0, (t0 + 3ms).count(), 0};
   CHECK(on_time_message(a, theirs, t0 + 4ms, true).outcome == time_outcome::replied);
   auto dup = on_time_message(a, theirs, t0 + 5ms, true);
   CHECK(dup.outcome == time_outcome::ignored_duplicate);
   CHECK_FALSE(dup.reply);

   // A µs-epoch xmt equal to the previous ns one counts as a duplicate after normalisation.
   time_message micro{0, 0, (t0 + 3ms).count() / 1000, 0};
   CHECK(on_time_message(a, micro, t0 + 6ms, true).outcome == time_outcome::ignored_duplicate);

   // Our loop still completes.
   time_message reply{t0.count(), (t0 + 10ms).count(), (t0 + 11ms).count(), 0};
   auto r = on_time_message(a, reply, t0 + 20ms, true);
   CHECK(r.outcome == time_outcome::loop_completed);
   CHECK(*r.latency == 20ms);
}

TEST_CASE("peer_timing: normalize_epoch_to_ns (Leap 5 thresholds)", "[net]") {
   CHECK(normalize_epoch_to_ns(1700000000123456789).count() == 1700000000123456789);
   CHECK(normalize_epoch_to_ns(1700000000123456).count() == 1700000000123456000);
   CHECK(normalize_epoch_to_ns(1700000000123).count() == 1700000000123000000);
   CHECK(normalize_epoch_to_ns(1700000000).count() == 1700000000000000000);
   CHECK(normalize_epoch_to_ns(1686211688).count() == 1686211688000000000);
   CHECK(normalize_epoch_to_ns(1686211687).count() == 0);
   CHECK(normalize_epoch_to_ns(0).count() == 0);
   CHECK(normalize_epoch_to_ns(-5).count() == 0);
   // Hostile magnitudes wrap as Leap's int64 multiply does on x86, without UB here.
   CHECK(normalize_epoch_to_ns(1686211688887999).count() ==
         int64_t(uint64_t(1686211688887999) * 1000u * 1000u));
   CHECK(normalize_epoch_to_ns(1686211688888000).count() == 1686211688888000000);
}

TEST_CASE("peer_timing: heartbeat at 1x and 2x keepalive", "[net]") {
   const auto ka = 10000ms;
   // Nothing ever received: just ping.
   CHECK(check_heartbeat(t0, std::nullopt, std::nullopt, false, ka) == heartbeat_action::send_ping);

   const net_time last_msg = t0;
   const net_time last_blk = t0;
   CHECK(check_heartbeat(t0 + 5s, last_msg, last_blk, false, ka) == heartbeat_action::send_ping);
   // Exactly 1x: not yet (strict).
   CHECK(check_heartbeat(t0 + 10s, last_msg, last_blk, false, ka) == heartbeat_action::send_ping);
   // Past 1x without a block: handshake.
   CHECK(check_heartbeat(t0 + 10s + 1ns, last_msg, last_blk, false, ka) == heartbeat_action::send_handshake);
   // ...but not while in lib catch-up.
   CHECK(check_heartbeat(t0 + 10s + 1ns, last_msg, last_blk, true, ka) == heartbeat_action::send_ping);
   // No block ever: handshake.
   CHECK(check_heartbeat(t0 + 1s, last_msg, std::nullopt, false, ka) == heartbeat_action::send_handshake);
   // Exactly 2x: still alive; past 2x: close, even in catch-up.
   CHECK(check_heartbeat(t0 + 20s, last_msg, t0 + 19s, false, ka) == heartbeat_action::send_ping);
   CHECK(check_heartbeat(t0 + 20s + 1ns, last_msg, t0 + 19s, false, ka) == heartbeat_action::close);
   CHECK(check_heartbeat(t0 + 20s + 1ns, last_msg, t0 + 19s, true, ka) == heartbeat_action::close);
   CHECK(heartbeat_close_reason == go_away_reason::benign_other);

   // Tiny keepalive: the half timeout is floored at 1 s (2 blocks).
   const auto small = 200ms;
   CHECK(check_heartbeat(t0 + 399ms, t0 + 300ms, t0, false, small) == heartbeat_action::send_ping);
   CHECK(check_heartbeat(t0 + 1001ms, t0 + 900ms, t0, false, small) == heartbeat_action::send_handshake);
}
