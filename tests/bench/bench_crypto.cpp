// Prints crypto throughput figures (single thread). Not a test: nothing here asserts.
#include "crypto/private_key.hpp"
#include "crypto/recover.hpp"
#include "crypto/sha256.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;
constexpr auto run_time = std::chrono::milliseconds(600); // per figure

/// Calls f() repeatedly for about run_time; returns calls per second.
template <class F>
double rate(F&& f) {
   std::size_t n = 0;
   const auto start = clock_type::now();
   auto now = start;
   do {
      for (int i = 0; i < 16; ++i)
         f();
      n += 16;
      now = clock_type::now();
   } while (now - start < run_time);
   return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

} // namespace

int main() {
   using namespace core;
   volatile uint8_t sink = 0;

   for (std::size_t size : {std::size_t{64}, std::size_t{1024}, std::size_t{1024 * 1024}}) {
      std::vector<uint8_t> data(size, 0x5a);
      const double per_s = rate([&] {
         data[0]++;
         sink = sink ^ sha256(data).data[0];
      });
      fmt::print("sha256 {:>8} B: {:9.1f} MB/s  ({:.0f} hashes/s)\n", size, per_s * static_cast<double>(size) / 1e6, per_s);
   }

   {
      // Many small inputs through one reused hasher (merkle levels, receipt digests).
      std::vector<uint8_t> data(64, 0x5a);
      sha256_hasher h;
      const double per_s = rate([&] {
         data[0]++;
         h.update(data);
         sink = sink ^ h.final().data[0];
      });
      fmt::print("sha256_hasher reused, 64 B: {:9.1f} MB/s  ({:.0f} hashes/s)\n", per_s * 64 / 1e6, per_s);
   }

   const private_key key = private_key::generate();
   checksum256 digest = sha256("bench");
   const double signs = rate([&] {
      digest.data[0]++;
      sink = sink ^ key.sign(digest).compact()[1];
   });
   fmt::print("k1 sign:          {:9.0f} signatures/s\n", signs);

   std::vector<std::pair<signature, checksum256>> sigs;
   for (int i = 0; i < 256; ++i) {
      digest.data[1] = static_cast<uint8_t>(i);
      sigs.emplace_back(key.sign(digest), digest);
   }
   std::size_t next = 0;
   const double recovers = rate([&] {
      const auto& [s, d] = sigs[next++ % sigs.size()];
      auto k = recover_key(s, d);
      sink = sink ^ (k ? k->point()[1] : 0);
   });
   fmt::print("k1 recover:       {:9.0f} recoveries/s\n", recovers);

   const private_key r1 = private_key::generate(private_key::key_type::r1);
   const signature r1_sig = r1.sign(digest);
   const double r1_recovers = rate([&] {
      auto k = recover_key(r1_sig, digest);
      sink = sink ^ (k ? k->point()[1] : 0);
   });
   fmt::print("r1 recover:       {:9.0f} recoveries/s\n", r1_recovers);
   return sink == 0 ? 0 : 0; // reads the sink so the work stays observable
}
