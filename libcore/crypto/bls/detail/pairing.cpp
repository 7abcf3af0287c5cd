#include "crypto/bls/detail/pairing.hpp"

#include <bit>
#include <vector>

namespace core::bls::detail {

namespace {

/// G2 point in homogeneous projective coordinates (x = X/Z, y = Y/Z), the Miller loop's T.
struct g2_proj {
   fp2 x, y, z;
};

/// 3·b' times c, with b' = 4(1 + u): 12·(1 + u)·c by additions.
fp2 mul_by_3b(const fp2& c) {
   const fp2 t = c.mul_by_xi();
   return (t.dbl() + t).dbl().dbl();
}

/// T = 2T and the tangent line at T evaluated at P (Costello-Lange-Naehrig formulas, as in
/// Aranha et al., "Faster explicit formulas for computing pairings over ordinary curves").
/// Up to a factor in a proper subfield, which the final exponentiation removes, the line is
/// (3b'Z^2 - Y^2) + 3X^2·xP·v - 2YZ·yP·v·w.
line_coeffs doubling_step(g2_proj& t) {
   const fp2 a = (t.x * t.y).half();
   const fp2 b = t.y.square();
   const fp2 c = t.z.square();
   const fp2 e = mul_by_3b(c);
   const fp2 f = e.dbl() + e;
   const fp2 g = (b + f).half();
   const fp2 h = (t.y + t.z).square() - (b + c);
   const fp2 i = e - b;
   const fp2 j = t.x.square();
   const fp2 e2 = e.square();
   t.x = a * (b - f);
   t.y = g.square() - (e2.dbl() + e2);
   t.z = b * h;
   return {i, j.dbl() + j, -h};
}

/// T = T + Q (Q affine) and the line through T and Q evaluated at P:
/// (theta·xQ - lambda·yQ) - theta·xP·v + lambda·yP·v·w.
line_coeffs addition_step(g2_proj& t, const g2_affine& q) {
   const fp2 theta = t.y - q.y * t.z;
   const fp2 lambda = t.x - q.x * t.z;
   const fp2 c = theta.square();
   const fp2 d = lambda.square();
   const fp2 e = lambda * d;
   const fp2 f = t.z * c;
   const fp2 g = t.x * d;
   const fp2 h = e + f - g.dbl();
   const fp2 l0 = theta * q.x - lambda * q.y;
   t.x = lambda * h;
   t.y = theta * (g - h) - t.y * e;
   t.z = t.z * e;
   return {l0, -theta, lambda};
}

/// f times the line l evaluated at P.
fp12 evaluate(const fp12& f, const line_coeffs& l, const g1_affine& p) {
   return f.mul_by_014(l.l0, l.lx * p.x, l.ly * p.y);
}

fp12 pow_x(const fp12& a) { return a.cyclotomic_pow_x_abs().conj(); } // a^x, x < 0

} // namespace

static_assert(g2_lines::count == 63 + std::popcount(bls_x_abs) - 1);

g2_lines prepare_lines(const g2_affine& q) {
   g2_lines out;
   if (q.infinity)
      return out;
   out.lines.reserve(g2_lines::count);
   g2_proj t{q.x, q.y, fp2::one()};
   for (int b = 62; b >= 0; --b) {
      out.lines.push_back(doubling_step(t));
      if ((bls_x_abs >> b) & 1)
         out.lines.push_back(addition_step(t, q));
   }
   return out;
}

fp12 miller_loop(std::span<const pairing_pair> pairs, std::span<const prepared_pair> prepared) {
   std::vector<pairing_pair> live;
   live.reserve(pairs.size());
   for (const auto& pr : pairs)
      if (!pr.p.infinity && !pr.q.infinity)
         live.push_back(pr);
   std::vector<prepared_pair> live_prepared;
   live_prepared.reserve(prepared.size());
   for (const auto& pr : prepared)
      if (!pr.p.infinity && pr.q->lines.size() == g2_lines::count)
         live_prepared.push_back(pr);
   std::vector<g2_proj> t(live.size());
   for (std::size_t i = 0; i < live.size(); ++i)
      t[i] = {live[i].q.x, live[i].q.y, fp2::one()};

   fp12 f = fp12::one();
   std::size_t k = 0; // the next precomputed line
   for (int b = 62; b >= 0; --b) {
      if (b != 62)
         f = f.square();
      for (std::size_t i = 0; i < live.size(); ++i)
         f = evaluate(f, doubling_step(t[i]), live[i].p);
      for (const auto& pr : live_prepared)
         f = evaluate(f, pr.q->lines[k], pr.p);
      ++k;
      if ((bls_x_abs >> b) & 1) {
         for (std::size_t i = 0; i < live.size(); ++i)
            f = evaluate(f, addition_step(t[i], live[i].q), live[i].p);
         for (const auto& pr : live_prepared)
            f = evaluate(f, pr.q->lines[k], pr.p);
         ++k;
      }
   }
   return f.conj(); // x < 0: f_{x,Q} = 1/f_{|x|,Q}, and 1/f ≡ conj(f) after the final exponentiation
}

fp12 final_exponentiation(const fp12& f) {
   // Easy part: f^((p^6 - 1)(p^2 + 1)), after which f is in the cyclotomic subgroup.
   fp12 g = f.conj() * f.inverse();
   g = g.frobenius(2) * g;
   // Hard part, times 3: (x - 1)^2·(x + p)·(x^2 + p^2 - 1) + 3.
   const fp12 t0 = pow_x(g) * g.conj();
   const fp12 t1 = pow_x(t0) * t0.conj();
   const fp12 t2 = pow_x(t1) * t1.frobenius(1);
   const fp12 t3 = pow_x(pow_x(t2)) * t2.frobenius(2) * t2.conj();
   return t3 * g.cyclotomic_square() * g;
}

fp12 pairing(const g1_affine& p, const g2_affine& q) {
   const pairing_pair pr{p, q};
   return final_exponentiation(miller_loop({&pr, 1}));
}

bool pairing_product_is_one(std::span<const pairing_pair> pairs, std::span<const prepared_pair> prepared) {
   return final_exponentiation(miller_loop(pairs, prepared)).is_one();
}

} // namespace core::bls::detail
