// Prints BLS12-381 figures (one thread): field products, the pairing, hash-to-curve, signing,
// verification, and a 21-finalizer quorum certificate; then the same operations in @noble/curves
// when it is installed (the bls_oracle_install test puts it in the build tree) and the ratios.
// Not a test: nothing here asserts. Each figure is the median (and the minimum) of many timed runs,
// in CPU time of the calling thread: the machine is shared, so wall time would measure the
// neighbours, and even CPU time grows when they share the core (the minimum is the least
// disturbed run).
#include "crypto/bls/detail/hash_to_curve.hpp"
#include "crypto/bls/detail/pairing.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr double run_time_ms = 1000; // CPU time per figure

/// CPU time of this thread, in milliseconds.
double thread_cpu_ms() {
   timespec ts{};
   ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
   return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct figure {
   double median_ms = 0, min_ms = 0;
};

/// CPU time of one call of f, in milliseconds, over batches of `batch` calls.
template <class F>
figure time_of(F&& f, int batch = 1) {
   std::vector<double> times;
   const double start = thread_cpu_ms();
   while (thread_cpu_ms() - start < run_time_ms || times.size() < 5) {
      const double t = thread_cpu_ms();
      for (int i = 0; i < batch; ++i)
         f();
      times.push_back((thread_cpu_ms() - t) / batch);
   }
   std::sort(times.begin(), times.end());
   return {times[times.size() / 2], times.front()};
}

std::map<std::string, figure> noble_figures() {
   std::map<std::string, figure> out;
#if defined(BLS_NOBLE_DIR) && defined(BLS_NODE)
   if (!std::filesystem::exists(BLS_NOBLE_DIR "/node_modules/@noble/curves")) {
      fmt::print("\n@noble/curves is not installed in {}: run `ctest -R bls_oracle` once for the ratios\n", BLS_NOBLE_DIR);
      return out;
   }
   FILE* p = ::popen(BLS_NODE " " BLS_NOBLE_SCRIPT " " BLS_NOBLE_DIR, "r");
   if (!p)
      return out;
   char name[64];
   figure fig;
   while (std::fscanf(p, "%63s %lf %lf", name, &fig.median_ms, &fig.min_ms) == 3)
      out[name] = fig;
   ::pclose(p);
#endif
   return out;
}

} // namespace

int main() {
   using namespace core::bls;
   namespace d = core::bls::detail;
   volatile uint64_t sink = 0;


   const d::g1_affine p = d::to_affine(d::mul_vartime(d::to_jacobian(d::g1_generator()), std::array<uint64_t, 1>{12345}));
   const d::g2_affine q = d::to_affine(d::mul_vartime(d::to_jacobian(d::g2_generator()), std::array<uint64_t, 1>{67890}));
   const d::pairing_pair pq[] = {{p, q}};
   d::fp12 f;
   std::map<std::string, figure> ours;
   ours["miller_loop"] = time_of([&] { f = d::miller_loop(pq); });
   ours["final_exp"] = time_of([&] { sink = sink + d::final_exponentiation(f).c0.c0.c0.l[0]; });
   ours["pairing"] = time_of([&] { sink = sink + d::pairing(p, q).c0.c0.c0.l[0]; });

   const std::vector<uint8_t> digest(32, 7);
   const auto dst = std::string(signature_dst);
   ours["hash_to_curve"] = time_of([&] {
      sink = sink + d::hash_to_g2(digest, {reinterpret_cast<const uint8_t*>(dst.data()), dst.size()}).x.c0.l[0];
   });

   std::vector<private_key> keys;
   for (uint8_t i = 0; i < 21; ++i)
      keys.push_back(*private_key::from_seed(std::vector<uint8_t>(32, uint8_t(i + 1))));
   std::vector<public_key> pks;
   for (const auto& k : keys)
      pks.push_back(k.get_public_key());
   const signature sig0 = keys[0].sign(digest);
   ours["sign"] = time_of([&] { sink = sink + keys[0].sign(digest).bytes()[0]; });
   ours["public_key"] = time_of([&] { sink = sink + keys[0].get_public_key().bytes()[0]; });
   ours["verify"] = time_of([&] { sink = sink + verify(pks[0], digest, sig0); });
   // A vote as a node checks it: the block's digest prepared once (prepare_message), then
   // each vote's signature against it (verify_prepared).
   ours["prepare_message"] = time_of([&] { sink = sink + prepared_message(digest).message()[0]; });
   const prepared_message prepared(digest);
   ours["verify_prepared"] = time_of([&] { sink = sink + verify(pks[0], prepared, sig0); });
   ours["decode_public_key"] = time_of([&] { sink = sink + public_key::from_bytes(pks[0].bytes())->bytes()[0]; });
   ours["decode_signature"] = time_of([&] { sink = sink + signature::from_bytes(sig0.bytes())->bytes()[0]; });

   aggregate_signature agg;
   for (const auto& k : keys)
      agg.add(k.sign(digest));
   const signature::bytes_type qc_bytes = agg.to_signature().bytes();
   // A strong certificate of 21 finalizers as a node meets it: the signature's bytes off the
   // wire (decoded and subgroup-checked), the cached keys of the voters summed, one pairing check.
   ours["qc21"] = time_of([&] {
      const auto s = signature::from_bytes(qc_bytes);
      const auto voters = aggregate_public_key::of(pks);
      if (!s || !verify(voters, digest, *s))
         std::abort();
   });
   // The same with 14 strong and 7 weak votes: two messages, three Miller loops.
   std::vector<uint8_t> weak = digest;
   weak.insert(weak.end(), {'W', 'E', 'A', 'K'});
   aggregate_signature mixed;
   aggregate_public_key strong_keys, weak_keys;
   for (std::size_t i = 0; i < keys.size(); ++i) {
      (i < 14 ? strong_keys : weak_keys).add(pks[i]);
      mixed.add(keys[i].sign(i < 14 ? digest : weak));
   }
   const signature::bytes_type mixed_bytes = mixed.to_signature().bytes();
   ours["qc21_strong_weak"] = time_of([&] {
      const auto s = signature::from_bytes(mixed_bytes);
      const aggregate_public_key sums[] = {strong_keys, weak_keys};
      const std::span<const uint8_t> msgs[] = {digest, weak};
      if (!s || !aggregate_verify(sums, msgs, *s))
         std::abort();
   });

   const auto unit = [](double ms) {
      return ms < 0.001 ? fmt::format("{:7.1f} ns", ms * 1e6)
             : ms < 1   ? fmt::format("{:7.1f} us", ms * 1e3)
                        : fmt::format("{:7.3f} ms", ms);
   };
   fmt::print("core_bls, CPU time per operation: median (minimum)\n");
   for (const char* name : {"miller_loop", "final_exp", "pairing", "hash_to_curve", "sign", "public_key", "verify",
                            "prepare_message", "verify_prepared", "decode_public_key", "decode_signature", "qc21", "qc21_strong_weak"})
      fmt::print("{:<18} {} ({})\n", name, unit(ours[name].median_ms), unit(ours[name].min_ms));
   fmt::print("21-finalizer strong QC verified in {:.3f} ms, {:.3f} ms at best (target: 3 ms on one core)\n",
              ours["qc21"].median_ms, ours["qc21"].min_ms);

#if defined(__x86_64__)
   // The field kernels: the mulx/adcx/adox assembly (chosen at start-up when the CPU has BMI2
   // and ADX) against the portable C++ on the same machine, in the same run.
   if (d::fp_impl::cpu_has_adx()) {
      const bool in_use = d::fp_impl::use_adx; // false under P2P_BLS_PORTABLE
      const d::fp2 x{d::fp::from_u64(3), d::fp::from_u64(5)};
      d::fp2 acc = x;
      std::map<std::string, figure> kernel[2];
      for (int round = 0; round < 2; ++round)
         for (const bool adx : {false, true}) {
            d::fp_impl::use_adx = adx;
            auto& k = kernel[adx];
            const auto keep = [&](const char* name, figure fig) {
               if (round == 0 || fig.median_ms < k[name].median_ms)
                  k[name] = fig;
            };
            keep("fp2_mul", time_of([&] { acc = acc * x; }, 1000));
            keep("fp2_square", time_of([&] { acc = acc.square(); }, 1000));
            keep("pairing", time_of([&] { sink = sink + d::pairing(p, q).c0.c0.c0.l[0]; }));
            keep("verify_prepared", time_of([&] { sink = sink + verify(pks[0], prepared, sig0); }));
         }
      d::fp_impl::use_adx = in_use;
      sink = sink + acc.c0.l[0];
      fmt::print("\nField kernels, same run: portable C++ against mulx/adcx/adox ({}), median (minimum)\n",
                 in_use ? "in use here" : "not in use: P2P_BLS_PORTABLE");
      for (const char* name : {"fp2_mul", "fp2_square", "pairing", "verify_prepared"})
         fmt::print("{:<18} {} ({})  ->  {} ({})   {:.2f}x\n", name, unit(kernel[0][name].median_ms),
                    unit(kernel[0][name].min_ms), unit(kernel[1][name].median_ms), unit(kernel[1][name].min_ms),
                    kernel[0][name].median_ms / kernel[1][name].median_ms);
   } else {
      fmt::print("\nThis CPU lacks BMI2 or ADX: the portable field kernels are in use\n");
   }
#endif

   const auto noble = noble_figures();
   if (!noble.empty()) {
      fmt::print("\n@noble/curves 1.9.7 on node, same run (process CPU time): median (minimum), ratio of medians\n");
      for (const auto& [name, fig] : noble)
         fmt::print("{:<18} {} ({})   core_bls is {:.1f}x faster\n", name, unit(fig.median_ms), unit(fig.min_ms),
                    ours.count(name) ? fig.median_ms / ours[name].median_ms : 0.0);
   }
   return sink == 42 ? 1 : 0;
}
