// libFuzzer target: core::unpack<packed_transaction> (decompression and transaction decoding), exact round trips, id and digests.
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   fuzz::check_typed<core::packed_transaction>(std::span<const uint8_t>(data, size));
   return 0;
}
