#pragma once
/// The control socket's commands (p2pctl(1) documents them): one JSON request line in, one
/// JSON reply line out — {"ok":true,"result":{...}} or {"ok":false,"error":"..."}.
#include "node/control_server.hpp"
#include "node/peer_manager.hpp"

#include <string>
#include <string_view>

namespace core {

class node;

/// Answers one request line on the node's thread.
control_reply handle_control_request(node& n, std::string_view request_line);

/// The watch event for a peer connecting or closing.
std::string peer_event_json(const peer_event& e);

/// Prometheus text exposition of the node's figures, under nodeos's metric names.
std::string prometheus_metrics(const node& n);

} // namespace core
