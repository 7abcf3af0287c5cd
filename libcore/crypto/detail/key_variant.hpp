#pragma once
/// Internal: fc's binary form of a key or signature variant, shared by public_key and signature:
/// varuint32 index (0 K1, 1 R1, 2 WebAuthn), then K1's or R1's fixed-size `data`, or the
/// WebAuthn alternative's own body (written and read by the functions passed in).
#include "codec/byte_reader.hpp"
#include "codec/byte_writer.hpp"

#include <fmt/format.h>

#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace core::detail {

template <class K1, class R1, class WA, class PackWa>
void pack_key_variant(byte_writer& w, const std::variant<K1, R1, WA>& v, PackWa&& pack_wa) {
   w.write_varuint32(static_cast<uint32_t>(v.index()));
   if (const auto* wa = std::get_if<WA>(&v))
      pack_wa(w, *wa);
   else
      std::visit(
         [&w](const auto& fixed) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(fixed)>, WA>)
               w.write(fixed.data.data(), fixed.data.size());
         },
         v);
}

/// `v` is unchanged on failure (the reader holds the error): an unknown index is unknown_variant,
/// naming `what` ("public_key", "signature").
template <class K1, class R1, class WA, class UnpackWa>
void unpack_key_variant(byte_reader& r, std::variant<K1, R1, WA>& v, UnpackWa&& unpack_wa, std::string_view what) {
   const std::size_t at = r.offset();
   const uint32_t index = r.read_varuint32();
   if (!r.ok())
      return;
   auto fixed = [&](auto k) {
      if (r.read(k.data.data(), k.data.size()))
         v = k;
   };
   switch (index) {
   case 0: return fixed(K1{});
   case 1: return fixed(R1{});
   case 2: {
      WA k;
      unpack_wa(r, k);
      if (r.ok())
         v = std::move(k);
      return;
   }
   default: r.fail_at(at, decode_errc::unknown_variant, fmt::format("{} index {} (0 K1, 1 R1, 2 WA)", what, index));
   }
}

} // namespace core::detail
