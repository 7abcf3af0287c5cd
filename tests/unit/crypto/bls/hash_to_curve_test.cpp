#include "bls_test_util.hpp"

#include "crypto/bls/detail/hash_to_curve.hpp"

using namespace core::bls::detail;

namespace {

const std::string_view expander_dst = "QUUX-V01-CS02-with-expander-SHA256-128";
const std::string_view g2_dst = "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_";

std::string message(const std::string& name) {
   if (name == "empty")
      return "";
   if (name == "q128")
      return "q128_" + std::string(128, 'q');
   if (name == "a512")
      return "a512_" + std::string(512, 'a');
   return name;
}

fp2 fp2_of(const std::vector<std::string>& f, std::size_t at) { return {bls_test::fp_of(f[at]), bls_test::fp_of(f[at + 1])}; }

void check_point(const g2_jacobian& p, const std::vector<std::string>& f, std::size_t at) {
   const g2_affine a = to_affine(p);
   REQUIRE_FALSE(a.infinity);
   CHECK(a.x == fp2_of(f, at));
   CHECK(a.y == fp2_of(f, at + 2));
}

} // namespace

TEST_CASE("bls hash_to_curve: RFC 9380 expand_message_xmd vectors (SHA-256)", "[crypto][bls]") {
   int n = 0;
   for (const auto& f : bls_test::data_lines("rfc9380_g2.txt")) {
      if (f[0] != "expand")
         continue;
      INFO(f[1] << " " << f[2]);
      const std::string m = message(f[1]);
      const auto out = expand_message_xmd(bls_test::bytes_of(m), bls_test::bytes_of(expander_dst), std::stoul(f[2]));
      CHECK(core::to_hex(out) == f[3]);
      ++n;
   }
   CHECK(n == 10);
}

TEST_CASE("bls hash_to_curve: RFC 9380 BLS12381G2_XMD:SHA-256_SSWU_RO_ vectors", "[crypto][bls]") {
   int u_lines = 0, q_lines = 0, p_lines = 0;
   for (const auto& f : bls_test::data_lines("rfc9380_g2.txt")) {
      const std::string m = message(f.size() > 1 ? f[1] : "");
      INFO(f[0] << " " << f[1]);
      if (f[0] == "u") {
         const auto u = hash_to_field_fp2(bls_test::bytes_of(m), bls_test::bytes_of(g2_dst));
         CHECK(u[0] == fp2_of(f, 2));
         CHECK(u[1] == fp2_of(f, 4));
         ++u_lines;
      } else if (f[0] == "q") {
         const auto u = hash_to_field_fp2(bls_test::bytes_of(m), bls_test::bytes_of(g2_dst));
         check_point(map_to_curve_g2(u[0]), f, 2);
         check_point(map_to_curve_g2(u[1]), f, 6);
         ++q_lines;
      } else if (f[0] == "p") {
         const g2_jacobian p = hash_to_g2(bls_test::bytes_of(m), bls_test::bytes_of(g2_dst));
         check_point(p, f, 2);
         CHECK(g2_in_subgroup(to_affine(p)));
         ++p_lines;
      }
   }
   CHECK(u_lines == 5);
   CHECK(q_lines == 5);
   CHECK(p_lines == 5);
}

TEST_CASE("bls hash_to_curve: the domain separation tag changes the point", "[crypto][bls]") {
   const auto a = to_affine(hash_to_g2(bls_test::bytes_of("abc"), bls_test::bytes_of("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_")));
   const auto b = to_affine(hash_to_g2(bls_test::bytes_of("abc"), bls_test::bytes_of("BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_")));
   CHECK_FALSE(a.x == b.x);
   // Over-long inputs to the expander are refused, not mishandled.
   CHECK(expand_message_xmd({}, bls_test::bytes_of(std::string(256, 'd')), 32).empty());
   CHECK(expand_message_xmd({}, bls_test::bytes_of(expander_dst), 255 * 32 + 1).empty());
}
