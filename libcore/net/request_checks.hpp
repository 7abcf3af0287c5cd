#pragma once
/// The request_message shapes Leap 5 refuses before acting on them (PROTOCOL.md §3.5; L5:net
/// handle_message(request_message)): it closes the connection, without a go_away.
#include "net/messages.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

namespace core {

/// Why `m` must be refused (one line), or nullopt: more than one block id, or transaction ids
/// with req_trx in mode none or normal.
inline std::optional<std::string> invalid_request(const request_message& m) {
   if (m.req_blocks.ids.size() > 1)
      return fmt::format("request_message with {} block ids (at most 1)", m.req_blocks.ids.size());
   if ((m.req_trx.mode == id_list_mode::none || m.req_trx.mode == id_list_mode::normal) && !m.req_trx.ids.empty())
      return fmt::format("request_message with {} transaction ids in mode {}", m.req_trx.ids.size(),
                         enum_name(m.req_trx.mode));
   return std::nullopt;
}

} // namespace core
