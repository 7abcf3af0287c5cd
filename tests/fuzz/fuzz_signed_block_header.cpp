// libFuzzer target: core::unpack<signed_block_header>, exact round trips, id and header extensions.
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   fuzz::check_typed<core::signed_block_header>(std::span<const uint8_t>(data, size));
   return 0;
}
