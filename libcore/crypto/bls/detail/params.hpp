#pragma once
/// Internal: the constants of BLS12-381 (curve parameter, group order, curve equations,
/// generators). E1: y^2 = x^3 + 4 over Fp holds G1; its M-type sextic twist E2: y^2 = x^3 + 4(1 + u)
/// over Fp2 holds G2. Both groups have prime order r.
#include "crypto/bls/detail/fp2.hpp"

#include <array>
#include <cstdint>

namespace core::bls::detail {

/// |x| for the curve parameter x = -0xd201000000010000 (x is negative).
inline constexpr uint64_t bls_x_abs = 0xd201000000010000ULL;

/// The prime order r of G1, G2 and GT, least significant limb first.
inline constexpr std::array<uint64_t, 4> r_limbs = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL,
                                                    0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL};

/// E1 over Fp.
struct g1_curve {
   using field = fp;
   static constexpr fp b = fp::from_u64(4);
   static constexpr fp b3 = fp::from_u64(12); ///< 3b, for the complete formulas
};

/// E2 over Fp2 (the twist).
struct g2_curve {
   using field = fp2;
   static constexpr fp2 b = {fp::from_u64(4), fp::from_u64(4)};
   static constexpr fp2 b3 = {fp::from_u64(12), fp::from_u64(12)};
};

/// The standard generators (the same as in the IETF and zcash specifications).
inline constexpr fp g1_gen_x = fp::from_hex(
   "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
inline constexpr fp g1_gen_y = fp::from_hex(
   "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1");
inline constexpr fp2 g2_gen_x = fp2::from_hex(
   "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
   "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e");
inline constexpr fp2 g2_gen_y = fp2::from_hex(
   "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
   "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be");

} // namespace core::bls::detail
