// libFuzzer target: core::unpack<genesis_state>, exact round trip, JSON form (lossy below a millisecond, as fc's) and chain id.
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   fuzz::check_typed<core::genesis_state>(std::span<const uint8_t>(data, size));
   return 0;
}
