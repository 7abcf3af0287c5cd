#pragma once
/// The control socket's commands (p2pctl(1) documents them): one JSON request line in, one
/// JSON reply line out — {"ok":true,"result":{...}} or {"ok":false,"error":"..."}. They read and
/// act on the node only through control_surface.
#include "node/control_server.hpp"
#include "node/control_surface.hpp"

#include <string>
#include <string_view>

namespace core {

/// Answers one request line on the node's thread.
control_reply handle_control_request(control_surface& n, std::string_view request_line);

/// The watch event for a peer connecting or closing.
std::string peer_event_json(const peer_event& e);
/// The watch stream's "store" event: the store stopped writing (with why) or writes again.
std::string store_event_json(const std::string& error, bool available);

/// Prometheus text exposition of the node's figures, under nodeos's metric names.
std::string prometheus_metrics(const control_surface& n);

} // namespace core
