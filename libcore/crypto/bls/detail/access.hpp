#pragma once
/// Internal: the points inside the public types. The public headers keep them as opaque limbs
/// so that users of the library do not compile the field arithmetic.
#include "crypto/bls/aggregate.hpp"
#include "crypto/bls/detail/g1.hpp"
#include "crypto/bls/detail/g2.hpp"
#include "crypto/bls/public_key.hpp"
#include "crypto/bls/signature.hpp"

#include <cstring>

namespace core::bls::detail {

struct access {
   template <std::size_t N, class... Fps>
   static void store(std::array<uint64_t, N>& out, const Fps&... fs) {
      static_assert(N == 6 * sizeof...(Fps));
      std::size_t at = 0;
      ((std::memcpy(out.data() + at, fs.l.data(), 48), at += 6), ...);
   }
   template <std::size_t N, class... Fps>
   static void load(const std::array<uint64_t, N>& in, Fps&... fs) {
      static_assert(N == 6 * sizeof...(Fps));
      std::size_t at = 0;
      ((std::memcpy(fs.l.data(), in.data() + at, 48), at += 6), ...);
   }

   static g1_affine point(const public_key& k) {
      g1_affine p;
      p.infinity = k.identity_;
      load(k.point_, p.x, p.y);
      return p;
   }
   static public_key make(const g1_affine& p, const public_key::bytes_type& bytes) {
      public_key k;
      k.bytes_ = bytes;
      k.identity_ = p.infinity;
      store(k.point_, p.x, p.y);
      return k;
   }
   static public_key make(const g1_affine& p) {
      public_key::bytes_type b;
      g1_to_bytes_le(p, b);
      return make(p, b);
   }

   static g2_affine point(const signature& s) {
      g2_affine p;
      p.infinity = s.identity_;
      load(s.point_, p.x.c0, p.x.c1, p.y.c0, p.y.c1);
      return p;
   }
   static signature make(const g2_affine& p, const signature::bytes_type& bytes) {
      signature s;
      s.bytes_ = bytes;
      s.identity_ = p.infinity;
      store(s.point_, p.x.c0, p.x.c1, p.y.c0, p.y.c1);
      return s;
   }
   static signature make(const g2_affine& p) {
      signature::bytes_type b;
      g2_to_bytes_le(p, b);
      return make(p, b);
   }

   static g1_jacobian point(const aggregate_public_key& a) {
      g1_jacobian p;
      load(a.point_, p.x, p.y, p.z);
      return p;
   }
   static void set(aggregate_public_key& a, const g1_jacobian& p) { store(a.point_, p.x, p.y, p.z); }
   static void count(aggregate_public_key& a, std::size_t n) { a.count_ += n; }

   static g2_jacobian point(const aggregate_signature& a) {
      g2_jacobian p;
      load(a.point_, p.x.c0, p.x.c1, p.y.c0, p.y.c1, p.z.c0, p.z.c1);
      return p;
   }
   static void set(aggregate_signature& a, const g2_jacobian& p) {
      store(a.point_, p.x.c0, p.x.c1, p.y.c0, p.y.c1, p.z.c0, p.z.c1);
   }
   static void count(aggregate_signature& a, std::size_t n) { a.count_ += n; }
};

} // namespace core::bls::detail
