#pragma once
/// Cells of one peer object of the node's peers reply, shared by `peers` and `top`.
#include <rapidjson/document.h>

#include <string>

namespace p2pctl {

/// The member as a table cell (see cell()); "-" when absent.
std::string member_text(const rapidjson::Value& obj, const char* key);
/// The member is the boolean true.
bool member_flag(const rapidjson::Value& obj, const char* key);
/// connecting, closed, syncing or open, then ",bp", ",blocks-only", ",trx-only", ",notices".
std::string peer_state(const rapidjson::Value& peer);
/// "ip:port" of the connection; "-" before it has a socket.
std::string peer_address(const rapidjson::Value& peer);

} // namespace p2pctl
