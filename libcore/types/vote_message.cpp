#include "types/vote_message.hpp"

namespace core {

std::string_view to_string(vote_status s) {
   switch (s) {
   case vote_status::success: return "success";
   case vote_status::duplicate: return "duplicate";
   case vote_status::unknown_public_key: return "unknown_public_key";
   case vote_status::invalid_signature: return "invalid_signature";
   case vote_status::unknown_block: return "unknown_block";
   }
   return "unknown";
}

} // namespace core
