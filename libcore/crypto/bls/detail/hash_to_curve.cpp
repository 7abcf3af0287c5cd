#include "crypto/bls/detail/hash_to_curve.hpp"

#include "crypto/sha256.hpp"

#include <algorithm>

namespace core::bls::detail {

namespace {

constexpr std::size_t sha256_bytes = 32;
constexpr std::size_t sha256_block_bytes = 64;
constexpr std::size_t field_element_bytes = 64; ///< L = ceil((381 + 128)/8)

// E2': y^2 = x^3 + A'x + B' with A' = 240u, B' = 1012(1 + u), and the SWU constant Z = -(2 + u).
constexpr fp2 sswu_a = {fp::zero(), fp::from_u64(240)};
constexpr fp2 sswu_b = {fp::from_u64(1012), fp::from_u64(1012)};
constexpr fp2 sswu_z = {-fp::from_u64(2), -fp::from_u64(1)};

/// The 3-isogeny E2' -> E2 (RFC 9380 appendix E.3): coefficients k_(i,j), lowest degree first;
/// x_den and y_den are monic (their leading 1 is implicit).
constexpr fp2 iso_x_num[4] = {
   fp2::from_hex("05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
                 "05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"),
   fp2::from_hex("0", "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"),
   fp2::from_hex("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
                 "08ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"),
   fp2::from_hex("171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1", "0"),
};
constexpr fp2 iso_x_den[2] = {
   fp2::from_hex("0", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63"),
   fp2::from_hex("c", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f"),
};
constexpr fp2 iso_y_num[4] = {
   fp2::from_hex("1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
                 "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"),
   fp2::from_hex("0", "05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"),
   fp2::from_hex("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
                 "08ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"),
   fp2::from_hex("124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10", "0"),
};
constexpr fp2 iso_y_den[3] = {
   fp2::from_hex("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
                 "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb"),
   fp2::from_hex("0", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3"),
   fp2::from_hex("12", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99"),
};

/// Horner's rule over `n` coefficients, plus x^n when `monic`.
fp2 poly(const fp2* k, int n, bool monic, const fp2& x) {
   fp2 acc = monic ? fp2::one() : k[n - 1];
   for (int i = monic ? n - 1 : n - 2; i >= 0; --i)
      acc = acc * x + k[i];
   return acc;
}

/// The SWU constants -B'/A' and B'/(Z·A'), computed once.
struct sswu_consts {
   fp2 minus_b_over_a, b_over_za;
   sswu_consts() {
      minus_b_over_a = -(sswu_b * sswu_a.inverse());
      b_over_za = sswu_b * (sswu_z * sswu_a).inverse();
   }
};

const sswu_consts& sswu() {
   static const sswu_consts c;
   return c;
}

fp2 curve_rhs(const fp2& x) { return (x.square() + sswu_a) * x + sswu_b; }

/// RFC 9380 6.6.2 simplified SWU for E2' (the straightforward form).
g2_affine sswu_map(const fp2& u) {
   const fp2 u2 = u.square();
   const fp2 z_u2 = sswu_z * u2;
   const fp2 tv1 = (z_u2.square() + z_u2).inverse_vartime(); // inv0: 0 maps to 0
   fp2 x = sswu().minus_b_over_a * (fp2::one() + tv1);
   if (tv1.is_zero())
      x = sswu().b_over_za;
   std::optional<fp2> root = curve_rhs(x).sqrt(); // y for x1, when gx1 is a square
   if (!root) {
      x = z_u2 * x;
      root = curve_rhs(x).sqrt(); // otherwise gx2 = Z^3·u^6·gx1 is
   }
   fp2 y = root.value_or(fp2::zero());
   if (u.sgn0() != y.sgn0())
      y = -y;
   return {x, y, false};
}

/// The 3-isogeny E2' -> E2, straight into Jacobian coordinates (no inversion): with
/// Z = x_den·y_den, X = x_num·x_den·y_den^2 and Y = y'·y_num·x_den^3·y_den^2.
g2_jacobian iso_map(const g2_affine& p) {
   const fp2 xn = poly(iso_x_num, 4, false, p.x);
   const fp2 xd = poly(iso_x_den, 2, true, p.x);
   const fp2 yn = poly(iso_y_num, 4, false, p.x);
   const fp2 yd = poly(iso_y_den, 3, true, p.x);
   if (xd.is_zero() || yd.is_zero())
      return {}; // the exceptional case maps to the identity
   const fp2 yd2 = yd.square();
   return {xn * xd * yd2, p.y * yn * xd.square() * xd * yd2, xd * yd};
}

} // namespace

std::vector<uint8_t> expand_message_xmd(std::span<const uint8_t> msg, std::span<const uint8_t> dst,
                                        std::size_t len_in_bytes) {
   const std::size_t ell = (len_in_bytes + sha256_bytes - 1) / sha256_bytes;
   if (ell > 255 || len_in_bytes > 0xffff || dst.size() > 255)
      return {};
   const uint8_t dst_len = uint8_t(dst.size());
   const uint8_t z_pad[sha256_block_bytes] = {};
   const uint8_t l_i_b[3] = {uint8_t(len_in_bytes >> 8), uint8_t(len_in_bytes), 0};

   sha256_hasher h;
   h.update(z_pad, sizeof z_pad);
   h.update(msg);
   h.update(l_i_b, sizeof l_i_b);
   h.update(dst);
   h.update(&dst_len, 1);
   const checksum256 b0 = h.final();

   std::vector<uint8_t> out;
   out.reserve(ell * sha256_bytes);
   checksum256 bi{};
   for (std::size_t i = 1; i <= ell; ++i) {
      uint8_t chain[sha256_bytes];
      for (std::size_t j = 0; j < sha256_bytes; ++j)
         chain[j] = uint8_t(b0.data[j] ^ (i == 1 ? 0 : bi.data[j]));
      const uint8_t index = uint8_t(i);
      h.update(chain, sizeof chain);
      h.update(&index, 1);
      h.update(dst);
      h.update(&dst_len, 1);
      bi = h.final();
      out.insert(out.end(), bi.data.begin(), bi.data.end());
   }
   out.resize(len_in_bytes);
   return out;
}

std::array<fp2, 2> hash_to_field_fp2(std::span<const uint8_t> msg, std::span<const uint8_t> dst) {
   const std::vector<uint8_t> bytes = expand_message_xmd(msg, dst, 4 * field_element_bytes);
   std::array<fp2, 2> u;
   if (bytes.size() != 4 * field_element_bytes)
      return u; // unreachable for dst <= 255 bytes
   const auto element = [&](std::size_t i) {
      return fp::from_bytes_be_wide(std::span<const uint8_t, 64>(bytes.data() + i * field_element_bytes, 64));
   };
   u[0] = {element(0), element(1)};
   u[1] = {element(2), element(3)};
   return u;
}

g2_jacobian map_to_curve_g2(const fp2& u) { return iso_map(sswu_map(u)); }

g2_jacobian hash_to_g2(std::span<const uint8_t> msg, std::span<const uint8_t> dst) {
   const auto u = hash_to_field_fp2(msg, dst);
   return g2_clear_cofactor(add(map_to_curve_g2(u[0]), map_to_curve_g2(u[1])));
}

} // namespace core::bls::detail
