#pragma once
/// Internal: the optimal ate pairing of BLS12-381 and products of pairings.
///
/// The final exponentiation raises to 3·(p^12 - 1)/r rather than (p^12 - 1)/r (the hard part
/// uses 3·(p^4 - p^2 + 1)/r = (x - 1)^2·(x + p)·(x^2 + p^2 - 1) + 3, Hayashida-Hayasaka-Teruya),
/// so pairing() returns e(P, Q)^3. That is still a non-degenerate bilinear map, and since 3 is
/// prime to r, a product of pairings is one exactly when the product of the cubes is.
#include "crypto/bls/detail/fp12.hpp"
#include "crypto/bls/detail/g1.hpp"
#include "crypto/bls/detail/g2.hpp"

#include <span>
#include <vector>

namespace core::bls::detail {

/// A pair (P, Q); a pair with an identity contributes the factor 1.
struct pairing_pair {
   g1_affine p;
   g2_affine q;
};

/// A line of the Miller loop before P is known: at P it is l0 + (lx·xP)·v + (ly·yP)·v·w.
struct line_coeffs {
   fp2 l0, lx, ly;
};

/// The lines of the Miller loop for a fixed Q, in the loop's order (for each bit of |x| from the
/// top, the doubling line, then the addition line if the bit is set); none when Q is the
/// identity. Worth it when Q meets many P: the votes on one block share H(digest).
struct g2_lines {
   static constexpr std::size_t count = 68; ///< 63 doublings, 5 additions (|x| has 6 bits set)
   std::vector<line_coeffs> lines;
};

g2_lines prepare_lines(const g2_affine& q);

/// (P, the lines of Q): a pair whose Q side is done. `q` must outlive the call.
struct prepared_pair {
   g1_affine p;
   const g2_lines* q;
};

/// The product of the Miller loops f_{x,Q}(P) of all pairs, sharing the squarings of the
/// accumulator (one Fp12 squaring per step for any number of pairs).
fp12 miller_loop(std::span<const pairing_pair> pairs, std::span<const prepared_pair> prepared = {});

/// f^(3·(p^12 - 1)/r).
fp12 final_exponentiation(const fp12& f);

/// e(P, Q)^3.
fp12 pairing(const g1_affine& p, const g2_affine& q);

/// True when the product of e(P_i, Q_i) is one: one Miller loop, one final exponentiation.
bool pairing_product_is_one(std::span<const pairing_pair> pairs, std::span<const prepared_pair> prepared = {});

} // namespace core::bls::detail
