#include "crypto/bls/detail/fp2.hpp"

namespace core::bls::detail {

fp2 fp2::inverse() const {
   const fp t = (c0.square() + c1.square()).inverse();
   return {c0 * t, -(c1 * t)};
}

fp2 fp2::inverse_vartime() const {
   const fp t = (c0.square() + c1.square()).inverse_vartime();
   return {c0 * t, -(c1 * t)};
}

bool fp2::is_square() const {
   // a is a square in Fp2 exactly when its norm c0^2 + c1^2 is a square in Fp (or zero).
   const fp n = c0.square() + c1.square();
   return n.is_zero() || n.is_square();
}

std::optional<fp2> fp2::sqrt() const {
   // p ≡ 3 (mod 4), so u^2 = -1 is a non-square in Fp. A root x0 + x1·u has
   // x0^2 = (c0 ± sqrt(norm))/2 and x1 = c1/(2·x0). With w = t^((p-3)/4) for t = x0^2 a square,
   // x0 = t·w and 1/x0 = w: two exponentiations, three when the first t is not a square.
   if (c1.is_zero()) {
      const fp r = c0.sqrt_candidate();
      if (r.square() == c0)
         return fp2{r, fp::zero()};
      const fp i = (-c0).sqrt_candidate(); // c0 non-square: -c0 is a square, root i·u
      if (i.square() == -c0)
         return fp2{fp::zero(), i};
      return std::nullopt;
   }
   const fp norm = c0.square() + c1.square();
   const fp s = norm.sqrt_candidate();
   if (s.square() != norm)
      return std::nullopt; // a is a square exactly when its norm is
   fp t = (c0 + s).half();
   fp w = t.inv_sqrt_candidate();
   fp x0 = t * w;
   if (x0.square() != t) {
      t = (c0 - s).half();
      w = t.inv_sqrt_candidate();
      x0 = t * w;
      if (x0.square() != t)
         return std::nullopt;
   }
   const fp2 root{x0, (c1 * w).half()};
   if (root.square() != *this)
      return std::nullopt;
   return root;
}

bool fp2::sgn0() const {
   const bool sign_0 = c0.sgn0();
   const bool zero_0 = c0.is_zero();
   const bool sign_1 = c1.sgn0();
   return sign_0 || (zero_0 && sign_1);
}

} // namespace core::bls::detail
