#include "crypto/bls/error.hpp"

namespace core::bls {

std::string_view to_string(error e) {
   switch (e) {
   case error::bad_length:
      return "wrong length";
   case error::non_canonical:
      return "coordinate not below the field modulus";
   case error::not_on_curve:
      return "point not on the curve";
   case error::not_in_subgroup:
      return "point not in the prime-order subgroup";
   case error::bad_prefix:
      return "missing PUB_BLS_, SIG_BLS_ or PVT_BLS_ prefix";
   case error::bad_base64:
      return "not base64url";
   case error::bad_checksum:
      return "checksum mismatch";
   case error::zero_key:
      return "private key is zero modulo the group order";
   case error::seed_too_short:
      return "seed shorter than 32 bytes";
   }
   return "unknown BLS error";
}

} // namespace core::bls
