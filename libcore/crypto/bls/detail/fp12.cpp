#include "crypto/bls/detail/fp12.hpp"

#include "crypto/bls/detail/params.hpp"

#include <array>
#include <bit>

namespace core::bls::detail {

namespace {

/// (p - 1)/d as limbs, for a small divisor d of p - 1.
constexpr limbs6 p_minus_1_div(uint64_t d) {
   limbs6 a = p_limbs;
   a[0] -= 1;
   limbs6 q{};
   u128 rem = 0;
   for (int i = 5; i >= 0; --i) {
      const u128 cur = (rem << 64) | a[i];
      q[i] = uint64_t(cur / d);
      rem = cur % d;
   }
   return q;
}

/// Frobenius coefficients: v^p = gamma1·v and w^p = gammaw·w, with gamma1 = xi^((p-1)/3) and
/// gammaw = xi^((p-1)/6). Computed once, on first use.
struct frobenius_table {
   fp2 v1, v2;            ///< gamma1, gamma1^2: the Fp6 coefficients
   fp2 w0, w1, w2;        ///< gammaw, gamma1·gammaw, gamma1^2·gammaw: the w-part of Fp12
   frobenius_table() {
      const fp2 xi{fp::one(), fp::one()};
      v1 = xi.pow(p_minus_1_div(3));
      v2 = v1.square();
      w0 = xi.pow(p_minus_1_div(6));
      w1 = v1 * w0;
      w2 = v2 * w0;
   }
};

const frobenius_table& frob() {
   static const frobenius_table t;
   return t;
}

fp6 frobenius6_once(const fp6& a) {
   const auto& t = frob();
   return {a.c0.conj(), a.c1.conj() * t.v1, a.c2.conj() * t.v2};
}

fp12 frobenius12_once(const fp12& a) {
   const auto& t = frob();
   return {frobenius6_once(a.c0), {a.c1.c0.conj() * t.w0, a.c1.c1.conj() * t.w1, a.c1.c2.conj() * t.w2}};
}

/// (a + b·s)^2 in Fp4 = Fp2[s]/(s^2 - xi).
void fp4_square(const fp2& a, const fp2& b, fp2& out0, fp2& out1) {
   const fp2 t0 = a.square();
   const fp2 t1 = b.square();
   out0 = t1.mul_by_xi() + t0;
   out1 = (a + b).square() - t0 - t1;
}

} // namespace

fp6 fp6::inverse() const {
   const fp2 t0 = c0.square() - (c1 * c2).mul_by_xi();
   const fp2 t1 = c2.square().mul_by_xi() - c0 * c1;
   const fp2 t2 = c1.square() - c0 * c2;
   const fp2 d = (c0 * t0 + (c2 * t1 + c1 * t2).mul_by_xi()).inverse_vartime();
   return {t0 * d, t1 * d, t2 * d};
}

fp6 fp6::frobenius(int k) const {
   fp6 r = *this;
   for (int i = 0; i < k; ++i)
      r = frobenius6_once(r);
   return r;
}

fp12 fp12::inverse() const {
   const fp6 t = (c0.square() - c1.square().mul_by_v()).inverse();
   return {c0 * t, -(c1 * t)};
}

fp12 fp12::frobenius(int k) const {
   fp12 r = *this;
   for (int i = 0; i < k; ++i)
      r = frobenius12_once(r);
   return r;
}

fp12 fp12::cyclotomic_square() const {
   // As Fp4^3 with s = w^3 (s^2 = xi): g0 = a0 + b1·s, g1 = b0 + a2·s, g2 = a1 + b2·s. For a
   // unitary element, f^2 = (3·g0^2 - 2·conj(g0)) + (3·s·g2^2 + 2·conj(g1))·w + (3·g1^2 - 2·conj(g2))·w^2.
   const fp2 &a0 = c0.c0, &a1 = c0.c1, &a2 = c0.c2, &b0 = c1.c0, &b1 = c1.c1, &b2 = c1.c2;
   fp2 g0_0, g0_1, g1_0, g1_1, g2_0, g2_1;
   fp4_square(a0, b1, g0_0, g0_1);
   fp4_square(b0, a2, g1_0, g1_1);
   fp4_square(a1, b2, g2_0, g2_1);
   fp12 r;
   r.c0.c0 = (g0_0 - a0).dbl() + g0_0;
   r.c1.c1 = (g0_1 + b1).dbl() + g0_1;
   r.c0.c1 = (g1_0 - a1).dbl() + g1_0;
   r.c1.c2 = (g1_1 + b2).dbl() + g1_1;
   const fp2 s_g2 = g2_1.mul_by_xi();
   r.c1.c0 = (s_g2 + b0).dbl() + s_g2;
   r.c0.c2 = (g2_0 - a2).dbl() + g2_0;
   return r;
}

namespace {

/// Karabina's compressed form of a cyclotomic element ("Squaring in cyclotomic subgroups",
/// Theorem 3.1). Written over Fp2 as g0 + g2·w + g4·w^2 + g1·w^3 + g3·w^4 + g5·w^5 (w^6 = xi),
/// our c0 = (g0, g4, g3) and c1 = (g2, g1, g5); g2..g5 determine the element, and squaring them
/// needs six Fp2 squarings where the full cyclotomic squaring needs nine.
struct compressed {
   fp2 g2, g3, g4, g5;
};

compressed compress(const fp12& a) { return {a.c1.c0, a.c0.c2, a.c0.c1, a.c1.c2}; }

/// The compressed square: the four outputs of cyclotomic_square() that depend on g2..g5 only.
compressed compressed_square(const compressed& g) {
   const fp2 s2 = g.g2.square(), s3 = g.g3.square(), s4 = g.g4.square(), s5 = g.g5.square();
   const fp2 xi_g4g5 = ((g.g4 + g.g5).square() - s4 - s5).mul_by_xi(); // 2·xi·g4·g5
   const fp2 g2g3 = (g.g2 + g.g3).square() - s2 - s3;                  // 2·g2·g3
   const fp2 t3 = s4 + s5.mul_by_xi(), t4 = s2 + s3.mul_by_xi();
   return {(g.g2 + xi_g4g5).dbl() + xi_g4g5, // 2·g2 + 6·xi·g4·g5
           (t3 - g.g3).dbl() + t3,           // 3(g4^2 + xi·g5^2) - 2·g3
           (t4 - g.g4).dbl() + t4,           // 3(g2^2 + xi·g3^2) - 2·g4
           (g.g5 + g2g3).dbl() + g2g3};      // 2·g5 + 6·g2·g3
}

/// Decompresses N elements with one inversion (Montgomery's trick): g1 = n/d with
/// n = xi·g5^2 + 3·g4^2 - 2·g3 and d = 4·g2, then g0 = xi·(2·g1^2 + g2·g5 - 3·g3·g4) + 1.
/// False when some g2 is zero (as for the identity; for a pairing's value, with probability
/// about 1/p^2): the theorem's other formula covers g2 = 0, g3 != 0, but no test could reach
/// it, so the caller squares in full instead.
template <std::size_t N>
bool decompress(const std::array<compressed, N>& in, std::array<fp12, N>& out) {
   std::array<fp2, N> num, den, prefix;
   for (std::size_t i = 0; i < N; ++i) {
      const compressed& g = in[i];
      if (g.g2.is_zero())
         return false;
      const fp2 s4 = g.g4.square();
      num[i] = g.g5.square().mul_by_xi() + s4.dbl() + s4 - g.g3.dbl();
      den[i] = g.g2.dbl().dbl();
      prefix[i] = i == 0 ? den[0] : prefix[i - 1] * den[i];
   }
   fp2 inv = prefix[N - 1].inverse_vartime(); // public data: the pairing's inputs
   for (std::size_t i = N; i-- > 0;) {
      const fp2 den_inv = i == 0 ? inv : inv * prefix[i - 1];
      inv = inv * den[i];
      const compressed& g = in[i];
      const fp2 g1 = num[i] * den_inv;
      const fp2 g3g4 = g.g3 * g.g4;
      const fp2 g0 = (g1.square().dbl() + g.g2 * g.g5 - g3g4.dbl() - g3g4).mul_by_xi() + fp2::one();
      out[i] = {{g0, g.g4, g.g3}, {g.g2, g1, g.g5}};
   }
   return true;
}

} // namespace

fp12 fp12::cyclotomic_pow_x_abs() const {
   // a^|x| = the product of a^(2^i) over the bits i of |x| (63, 62, 60, 57, 48 and 16): one chain
   // of 63 compressed squarings, the six powers decompressed together, five products.
   constexpr int set_bits = std::popcount(bls_x_abs);
   static_assert((bls_x_abs & 1) == 0);
   std::array<compressed, set_bits> powers;
   compressed c = compress(*this);
   for (int i = 1, k = 0; i < 64; ++i) {
      c = compressed_square(c);
      if ((bls_x_abs >> i) & 1)
         powers[std::size_t(k++)] = c;
   }
   std::array<fp12, set_bits> full;
   if (!decompress(powers, full))
      return cyclotomic_pow_x_abs_plain();
   fp12 r = full[0];
   for (std::size_t i = 1; i < full.size(); ++i)
      r = r * full[i];
   return r;
}

fp12 fp12::cyclotomic_pow_x_abs_plain() const {
   fp12 r = *this;
   for (int b = 62; b >= 0; --b) {
      r = r.cyclotomic_square();
      if ((bls_x_abs >> b) & 1)
         r = r * *this;
   }
   return r;
}

} // namespace core::bls::detail
