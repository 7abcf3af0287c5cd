#pragma once
/// Internal: short-Weierstrass point arithmetic for y^2 = x^3 + b (a = 0), shared by G1 (over Fp)
/// and G2 (over Fp2).
///
/// Two representations:
/// - jacobian (x = X/Z^2, y = Y/Z^3, identity Z = 0) with the fastest known incomplete formulas
///   (dbl-2009-l, add-2007-bl, madd-2007-bl), which branch on special cases: public data only.
/// - projective (x = X/Z, y = Y/Z, identity (0:1:0)) with the complete formulas of Renes, Costello
///   and Batina (2016, algorithms 7 and 9 for a = 0), which have no special case; with the
///   branch-free field arithmetic they make mul_ct's running time independent of the scalar.
///   They are complete because neither E1(Fp) nor E2(Fp2) has a point of order 2.
#include <array>
#include <cstdint>

namespace core::bls::detail {

template <class F>
struct affine {
   F x{}, y{};
   bool infinity = true;
};

template <class F>
struct jacobian {
   F x{}, y{}, z{}; ///< z == 0: the identity
   bool is_identity() const { return z.is_zero(); }
};

template <class F>
struct projective {
   F x{}, y = F::one(), z{}; ///< default: the identity (0:1:0)
};

template <class C>
using field_of = typename C::field;

template <class F>
jacobian<F> to_jacobian(const affine<F>& a) {
   if (a.infinity)
      return {};
   return {a.x, a.y, F::one()};
}

template <class F>
jacobian<F> neg(const jacobian<F>& p) {
   return {p.x, -p.y, p.z};
}

template <class F>
affine<F> neg(const affine<F>& p) {
   return {p.x, -p.y, p.infinity};
}

template <class F>
jacobian<F> dbl(const jacobian<F>& p) {
   const F a = p.x.square();
   const F b = p.y.square();
   const F c = b.square();
   const F d = ((p.x + b).square() - a - c).dbl();
   const F e = a.dbl() + a;
   const F f = e.square();
   jacobian<F> r;
   r.x = f - d.dbl();
   r.y = e * (d - r.x) - c.dbl().dbl().dbl();
   r.z = (p.y * p.z).dbl();
   return r;
}

template <class F>
jacobian<F> add(const jacobian<F>& p, const jacobian<F>& q) {
   if (p.is_identity())
      return q;
   if (q.is_identity())
      return p;
   const F z1z1 = p.z.square();
   const F z2z2 = q.z.square();
   const F u1 = p.x * z2z2;
   const F u2 = q.x * z1z1;
   const F s1 = p.y * q.z * z2z2;
   const F s2 = q.y * p.z * z1z1;
   const F h = u2 - u1;
   const F rr = s2 - s1;
   if (h.is_zero())
      return rr.is_zero() ? dbl(p) : jacobian<F>{};
   const F i = h.dbl().square();
   const F j = h * i;
   const F r = rr.dbl();
   const F v = u1 * i;
   jacobian<F> out;
   out.x = r.square() - j - v.dbl();
   out.y = r * (v - out.x) - (s1 * j).dbl();
   out.z = ((p.z + q.z).square() - z1z1 - z2z2) * h;
   return out;
}

/// p + q for an affine q.
template <class F>
jacobian<F> add(const jacobian<F>& p, const affine<F>& q) {
   if (q.infinity)
      return p;
   if (p.is_identity())
      return to_jacobian(q);
   const F z1z1 = p.z.square();
   const F u2 = q.x * z1z1;
   const F s2 = q.y * p.z * z1z1;
   const F h = u2 - p.x;
   const F rr = s2 - p.y;
   if (h.is_zero())
      return rr.is_zero() ? dbl(p) : jacobian<F>{};
   const F hh = h.square();
   const F i = hh.dbl().dbl();
   const F j = h * i;
   const F r = rr.dbl();
   const F v = p.x * i;
   jacobian<F> out;
   out.x = r.square() - j - v.dbl();
   out.y = r * (v - out.x) - (p.y * j).dbl();
   out.z = (p.z + h).square() - z1z1 - hh;
   return out;
}

/// One variable-time inversion: public points only (mul_ct has its own constant-time one).
template <class F>
affine<F> to_affine(const jacobian<F>& p) {
   if (p.is_identity())
      return {};
   const F zi = p.z.inverse_vartime();
   const F zi2 = zi.square();
   return {p.x * zi2, p.y * zi2 * zi, false};
}

template <class F>
bool equal(const jacobian<F>& p, const jacobian<F>& q) {
   if (p.is_identity() || q.is_identity())
      return p.is_identity() && q.is_identity();
   const F z1z1 = p.z.square();
   const F z2z2 = q.z.square();
   return p.x * z2z2 == q.x * z1z1 && p.y * q.z * z2z2 == q.y * p.z * z1z1;
}

template <class C>
bool on_curve(const affine<field_of<C>>& a) {
   return a.infinity || a.y.square() == a.x.square() * a.x + C::b;
}

/// [|x|]p for the curve parameter (six set bits): 63 doublings, 5 additions.
template <class F>
jacobian<F> mul_by_x_abs(const jacobian<F>& p, uint64_t x_abs) {
   jacobian<F> r = p;
   for (int b = 62; b >= 0; --b) {
      r = dbl(r);
      if ((x_abs >> b) & 1)
         r = add(r, p);
   }
   return r;
}

/// [k]p for a public scalar k (little-endian limbs), width-4 NAF: about 256 doublings and 51
/// additions for a 256-bit k.
template <class F, std::size_t N>
jacobian<F> mul_vartime(const jacobian<F>& p, const std::array<uint64_t, N>& k) {
   constexpr int window = 4;
   std::array<jacobian<F>, 1 << (window - 2)> odd; // p, 3p, 5p, 7p
   odd[0] = p;
   const jacobian<F> p2 = dbl(p);
   for (std::size_t i = 1; i < odd.size(); ++i)
      odd[i] = add(odd[i - 1], p2);
   // The NAF digits, least significant first, of a scalar of at most 64·N bits.
   std::array<int8_t, 64 * N + 1> naf{};
   std::array<uint64_t, N + 1> v{};
   for (std::size_t i = 0; i < N; ++i)
      v[i] = k[i];
   const auto bit = [&](std::size_t i) { return (v[i / 64] >> (i % 64)) & 1; };
   const auto is_zero = [&] {
      for (uint64_t w : v)
         if (w)
            return false;
      return true;
   };
   std::size_t len = 0;
   while (!is_zero()) {
      int8_t d = 0;
      if (bit(0)) {
         int m = int(v[0] & ((1 << window) - 1));
         d = int8_t(m >= (1 << (window - 1)) ? m - (1 << window) : m);
         // v -= d (d odd, |d| < 8)
         if (d > 0) {
            uint64_t borrow = uint64_t(d);
            for (auto& w : v) {
               const uint64_t before = w;
               w -= borrow;
               borrow = before < borrow ? 1 : 0;
            }
         } else {
            uint64_t carry = uint64_t(-d);
            for (auto& w : v) {
               w += carry;
               carry = w < carry ? 1 : 0;
            }
         }
      }
      naf[len++] = d;
      for (std::size_t i = 0; i < v.size(); ++i)
         v[i] = (v[i] >> 1) | (i + 1 < v.size() ? v[i + 1] << 63 : 0);
   }
   jacobian<F> r;
   for (std::size_t i = len; i-- > 0;) {
      r = dbl(r);
      const int d = naf[i];
      if (d > 0)
         r = add(r, odd[std::size_t(d / 2)]);
      else if (d < 0)
         r = add(r, neg(odd[std::size_t(-d / 2)]));
   }
   return r;
}

// --- complete projective formulas (constant time) ---

template <class C>
projective<field_of<C>> proj_add(const projective<field_of<C>>& p, const projective<field_of<C>>& q) {
   using F = field_of<C>;
   F t0 = p.x * q.x, t1 = p.y * q.y, t2 = p.z * q.z;
   F t3 = (p.x + p.y) * (q.x + q.y);
   F t4 = t0 + t1;
   t3 = t3 - t4;
   t4 = (p.y + p.z) * (q.y + q.z);
   F x3 = t1 + t2;
   t4 = t4 - x3;
   x3 = (p.x + p.z) * (q.x + q.z);
   F y3 = t0 + t2;
   y3 = x3 - y3;
   x3 = t0 + t0;
   t0 = x3 + t0;
   t2 = C::b3 * t2;
   F z3 = t1 + t2;
   t1 = t1 - t2;
   y3 = C::b3 * y3;
   x3 = t4 * y3;
   t2 = t3 * t1;
   x3 = t2 - x3;
   y3 = y3 * t0;
   t1 = t1 * z3;
   y3 = t1 + y3;
   t0 = t0 * t3;
   z3 = z3 * t4;
   z3 = z3 + t0;
   return {x3, y3, z3};
}

template <class C>
projective<field_of<C>> proj_dbl(const projective<field_of<C>>& p) {
   using F = field_of<C>;
   F t0 = p.y.square();
   F z3 = t0.dbl().dbl().dbl();
   F t1 = p.y * p.z;
   F t2 = C::b3 * p.z.square();
   F x3 = t2 * z3;
   F y3 = t0 + t2;
   z3 = t1 * z3;
   t1 = t2 + t2;
   t2 = t1 + t2;
   t0 = t0 - t2;
   y3 = t0 * y3;
   y3 = x3 + y3;
   t1 = p.x * p.y;
   x3 = t0 * t1;
   x3 = x3 + x3;
   return {x3, y3, z3};
}

template <class F>
projective<F> proj_select(bool pick_b, const projective<F>& a, const projective<F>& b) {
   return {F::select(pick_b, a.x, b.x), F::select(pick_b, a.y, b.y), F::select(pick_b, a.z, b.z)};
}

/// [k]p for a secret 256-bit scalar k (little-endian limbs): fixed 4-bit windows, 256 doublings
/// and 64 additions whatever k is, and a table lookup that reads every entry. Returns affine
/// (one constant-time inversion). p must not be the identity.
template <class C>
affine<field_of<C>> mul_ct(const affine<field_of<C>>& p, const std::array<uint64_t, 4>& k) {
   using F = field_of<C>;
   std::array<projective<F>, 16> table;
   table[1] = {p.x, p.y, F::one()};
   for (std::size_t i = 2; i < table.size(); ++i)
      table[i] = proj_add<C>(table[i - 1], table[1]);
   projective<F> r;
   for (int w = 63; w >= 0; --w) {
      for (int i = 0; i < 4; ++i)
         r = proj_dbl<C>(r);
      const unsigned digit = unsigned(k[std::size_t(w) / 16] >> (4 * (w % 16))) & 0xf;
      projective<F> t;
      for (unsigned i = 0; i < table.size(); ++i)
         t = proj_select(i == digit, t, table[i]);
      r = proj_add<C>(r, t);
   }
   // k ≡ 0 (mod r) gives the identity, z = 0; inverse() maps 0 to 0.
   const F zi = r.z.inverse();
   return {r.x * zi, r.y * zi, r.z.is_zero()};
}

} // namespace core::bls::detail
