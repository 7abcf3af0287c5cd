#pragma once
/// A real session to capture: a node with a seeded chain serves a fresh node, which syncs to
/// its LIB through a recording tcp_proxy and is then stopped. What each side sent, in order,
/// for the capture tests (pcap_test, wireshark_test).
#include "capture_writer.hpp"
#include "support/devnet.hpp"

#include <vector>

namespace it {

/// Adds nodes "src" and "dst" to `c`; the client (to_server) is the syncing node.
std::vector<test::sent_bytes> record_sync_session(cluster& c);

} // namespace it
