#include "types/name.hpp"

#include <fmt/format.h>

namespace core {

namespace {
constexpr char charmap[] = ".12345abcdefghijklmnopqrstuvwxyz";

uint64_t char_to_symbol(char c) {
   if (c >= 'a' && c <= 'z')
      return (c - 'a') + 6;
   if (c >= '1' && c <= '5')
      return (c - '1') + 1;
   return 0;
}
} // namespace

uint64_t name::string_to_value(std::string_view s) {
   uint64_t n = 0;
   int i = 0;
   for (; i < int(s.size()) && i < 12; ++i)
      n |= (char_to_symbol(s[i]) & 0x1f) << (64 - 5 * (i + 1));
   if (i == 12 && s.size() > 12)
      n |= char_to_symbol(s[12]) & 0x0f;
   return n;
}

std::string name::to_string() const {
   std::string str(13, '.');
   uint64_t tmp = value;
   for (uint32_t i = 0; i <= 12; ++i) {
      char c = charmap[tmp & (i == 0 ? 0x0f : 0x1f)];
      str[12 - i] = c;
      tmp >>= (i == 0 ? 4 : 5);
   }
   auto end = str.find_last_not_of('.');
   str.resize(end == std::string::npos ? 0 : end + 1);
   return str;
}

result<name> name::from_string(std::string_view s) {
   if (s.size() > 13)
      return unexpected{fmt::format("name \"{}\" is longer than 13 characters", s)};
   name n(string_to_value(s));
   if (n.to_string() != s)
      return unexpected{fmt::format("name \"{}\" is not normalized (allowed: .1-5a-z, 13th character .1-5a-j, no trailing dots)", s)};
   return n;
}

static_assert(string_leaf<name>);

} // namespace core
