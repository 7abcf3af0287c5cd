// libFuzzer target: the BLS12-381 point decoders (Antelope's 96-byte G1 and 192-byte G2 forms,
// and their fc::raw wire forms). The first byte picks the path:
//   0  public_key::from_bytes of the rest (96 bytes expected)
//   1  signature::from_bytes of the rest (192 bytes expected)
//   2  core::unpack<public_key>, 3 core::unpack<signature> (varuint length, then the bytes)
//   4  an x coordinate for G1, 5 for G2: the point with that x (when there is one) goes through
//      the decoder, whose subgroup check must agree with [r]P == O
// Properties: a decoded point re-encodes to its input, decodes again to the same value, is on
// the curve and in the subgroup; a rejection is one of the typed errors; verify() on decoded
// values returns without fault.
#include "fuzz_check.hpp"

#include "crypto/bls/detail/g1.hpp"
#include "crypto/bls/detail/g2.hpp"
#include "crypto/bls/verify.hpp"

namespace {

using namespace core::bls;

const std::vector<uint8_t> message = {'f', 'u', 'z', 'z'};

template <class T>
void check_decoded(std::span<const uint8_t> in, const result<T>& v) {
   if (!v) {
      FUZZ_CHECK(v.error() == error::bad_length || v.error() == error::non_canonical || v.error() == error::not_on_curve ||
                 v.error() == error::not_in_subgroup);
      return;
   }
   FUZZ_CHECK(fuzz::same_bytes(in, v->bytes()));
   const auto again = T::from_bytes(v->bytes());
   FUZZ_CHECK(again.has_value());
   FUZZ_CHECK(*again == *v);
   FUZZ_CHECK(again->to_string() == v->to_string());
   FUZZ_CHECK(T::parse(v->to_string()).value() == *v);
}

template <class F>
bool order_divides_r(const detail::affine<F>& p) {
   return detail::mul_vartime(detail::to_jacobian(p), detail::r_limbs).is_identity();
}

void point_from_x(std::span<const uint8_t> in, bool g2) {
   using namespace core::bls::detail;
   std::array<uint8_t, 64> wide{};
   std::copy_n(in.begin(), std::min<std::size_t>(in.size(), 64), wide.begin());
   const fp x0 = fp::from_bytes_be_wide(wide);
   if (!g2) {
      const fp rhs = x0.square() * x0 + g1_curve::b;
      const fp y = rhs.sqrt_candidate();
      if (y.square() != rhs)
         return;
      const g1_affine p{x0, y, false};
      std::array<uint8_t, 96> b;
      g1_to_bytes_le(p, b);
      const auto k = public_key::from_bytes(b);
      FUZZ_CHECK(k.has_value() == order_divides_r(p));
      FUZZ_CHECK(k.has_value() || k.error() == error::not_in_subgroup);
      return;
   }
   std::array<uint8_t, 64> wide2{};
   if (in.size() > 64)
      std::copy_n(in.begin() + 64, std::min<std::size_t>(in.size() - 64, 64), wide2.begin());
   const fp2 x{x0, fp::from_bytes_be_wide(wide2)};
   const auto y = (x.square() * x + g2_curve::b).sqrt();
   if (!y)
      return;
   const g2_affine p{x, *y, false};
   std::array<uint8_t, 192> b;
   g2_to_bytes_le(p, b);
   const auto s = signature::from_bytes(b);
   FUZZ_CHECK(s.has_value() == order_divides_r(p));
   FUZZ_CHECK(s.has_value() || s.error() == error::not_in_subgroup);
   // Cofactor clearing always lands in G2.
   std::array<uint8_t, 192> cleared;
   g2_to_bytes_le(to_affine(g2_clear_cofactor(to_jacobian(p))), cleared);
   FUZZ_CHECK(signature::from_bytes(cleared).has_value());
}

template <class T>
void check_wire(std::span<const uint8_t> in) {
   const auto v = core::unpack<T>(in);
   if (!v) {
      fuzz::check_error(v.error(), in.size());
      return;
   }
   FUZZ_CHECK(fuzz::same_bytes(core::pack(*v), in));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   if (size == 0)
      return 0;
   const std::span<const uint8_t> in(data + 1, size - 1);
   switch (data[0] % 6) {
   case 0: {
      const auto k = public_key::from_bytes(in);
      check_decoded(in, k);
      if (k) // the identity signature verifies under no key (an identity key is rejected)
         FUZZ_CHECK(!verify(*k, message, signature{}));
      break;
   }
   case 1: {
      const auto s = signature::from_bytes(in);
      check_decoded(in, s);
      if (s)
         (void)verify(aggregate_public_key{}, message, *s);
      break;
   }
   case 2:
      check_wire<public_key>(in);
      break;
   case 3:
      check_wire<signature>(in);
      break;
   default:
      point_from_x(in, data[0] % 6 == 5);
      break;
   }
   return 0;
}
