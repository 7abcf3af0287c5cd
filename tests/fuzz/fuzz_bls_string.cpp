// libFuzzer target: the BLS string forms PUB_BLS_, SIG_BLS_ and PVT_BLS_ (base64url with a
// ripemd160 checksum). Properties: parsing never faults and rejects with a typed error; a parsed
// value prints a string that parses back to the same value and prints identically; a parsed
// private key derives a public key and signs.
#include "fuzz_check.hpp"

#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"

namespace {

using namespace core::bls;

template <class T>
void check(std::string_view s) {
   const auto v = T::parse(s);
   if (!v)
      return;
   const std::string printed = v->to_string();
   const auto again = T::parse(printed);
   FUZZ_CHECK(again.has_value());
   FUZZ_CHECK(*again == *v);
   FUZZ_CHECK(again->to_string() == printed);
   // fc's decoder ignores '=' padding and the unused bits of the last character; otherwise the
   // printed form is the input.
   if (s.find('=') == std::string_view::npos && s.size() == printed.size())
      FUZZ_CHECK(s.substr(0, s.size() - 1) == std::string_view(printed).substr(0, printed.size() - 1));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const std::string_view s(reinterpret_cast<const char*>(data), size);
   check<public_key>(s);
   check<signature>(s);
   check<private_key>(s);
   if (const auto k = private_key::parse(s)) {
      const std::vector<uint8_t> msg(data, data + size);
      FUZZ_CHECK(verify(k->get_public_key(), msg, k->sign(msg)));
   }
   FUZZ_CHECK(!public_key::parse(s) || !private_key::parse(s)); // the prefixes differ
   return 0;
}
