// libFuzzer target: from_json on arbitrary text as signed_block, packed_transaction and
// handshake_message. Whatever JSON input is accepted packs to bytes the wire decoder accepts
// and decodes to an equal value, and prints JSON that reads back to the same bytes.
#include "fuzz_check.hpp"

#include <string_view>

namespace {

template <class T>
void check_json_input(std::string_view text) {
   auto v = core::from_json<T>(text);
   if (!v) {
      FUZZ_CHECK(v.error().code == core::decode_errc::bad_json);
      FUZZ_CHECK(!v.error().message().empty());
      return;
   }
   const std::vector<uint8_t> packed = core::pack(*v);
   if (packed.size() > core::limits::max_message_bytes)
      return;
   auto decoded = core::unpack<T>(packed);
   if (!decoded)
      std::fprintf(stderr, "unpack of the packed JSON value: %s\n", decoded.error().message().c_str());
   FUZZ_CHECK(decoded.has_value());
   FUZZ_CHECK(*decoded == *v);
   FUZZ_CHECK(fuzz::same_bytes(core::pack(*decoded), packed));
   fuzz::check_json_round_trip(*v, packed);
   fuzz::check_contents(*decoded);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const std::string_view text(reinterpret_cast<const char*>(data), size);
   check_json_input<core::signed_block>(text);
   check_json_input<core::packed_transaction>(text);
   check_json_input<core::handshake_message>(text);
   return 0;
}
