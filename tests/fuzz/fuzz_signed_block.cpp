// libFuzzer target: core::unpack<signed_block> (every packed_transaction inside is decoded too), exact round trips, ids, merkle root and extensions.
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   fuzz::check_typed<core::signed_block>(std::span<const uint8_t>(data, size));
   return 0;
}
