// libFuzzer target: core::unpack<transaction>, exact round trips and id.
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   fuzz::check_typed<core::transaction>(std::span<const uint8_t>(data, size));
   return 0;
}
