// The resource monitor's decision: nodeos's threshold (percent used) and absolute (free bytes).
#include "node/space_monitor.hpp"

#include <catch2/catch.hpp>

using namespace core;

TEST_CASE("space monitor: the threshold is on the space used, the absolute limit on the space free", "[node]") {
   constexpr uint64_t mib = 1 << 20;
   const space_reading r{100 * mib, 25 * mib}; // 75 % used
   space_limits l;
   l.threshold_percent = 80;
   CHECK_FALSE(space_exceeded(r, l, "/data"));
   l.threshold_percent = 75; // at the threshold is not above it
   CHECK_FALSE(space_exceeded(r, l, "/data"));
   l.threshold_percent = 70;
   auto why = space_exceeded(r, l, "/data");
   REQUIRE(why);
   CHECK(*why == "/data is 75.0% used (25.0 MiB free of 100.0 MiB), above resource-monitor-space-threshold (70%)");

   // The absolute limit overrides the percentage.
   l.absolute_bytes = 20 * mib;
   CHECK_FALSE(space_exceeded(r, l, "/data"));
   l.absolute_bytes = 30 * mib;
   why = space_exceeded(r, l, "/data");
   REQUIRE(why);
   CHECK(why->find("below resource-monitor-space-absolute-gb (30.0 MiB)") != std::string::npos);

   // A filesystem that reports no capacity decides nothing.
   CHECK_FALSE(space_exceeded(space_reading{0, 0}, l, "/data"));
}

TEST_CASE("space monitor: reads the filesystem of a path", "[node]") {
   auto r = read_space("/");
   REQUIRE(r);
   CHECK(r->capacity > 0);
   CHECK(r->available <= r->capacity);
   CHECK_FALSE(read_space("/no/such/dir/anywhere"));
}
