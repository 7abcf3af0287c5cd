// libFuzzer target: decode_payload on a frame payload (varuint32 index + message) for every
// net message, exact round trips through encode_payload and JSON, and derived state.
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   fuzz::check_payload(std::span<const uint8_t>(data, size));
   return 0;
}
