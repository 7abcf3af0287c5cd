#pragma once
/// Building blocks for Savanna tests: the devnet's finalizer keys, the switch to Savanna (`p2pctl activate-savanna`) and the wait for finality by QC.
#include "devnet.hpp"

#include "crypto/bls/private_key.hpp"

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace it {

/// The BLS key devnet.sh gives finalizer `n` (1-based): from sha256("devnet.finalizer.<n>").
core::bls::private_key devnet_finalizer_key(int n);
/// "node<n>=PUB_BLS_..." for activate-savanna.
std::string devnet_finalizer(int n);
/// Makes `node` a finalizer with devnet key `n` (--signature-provider), projecting action roots
/// as a Savanna validator must.
void make_finalizer(node_process& node, int n);

/// The node's raw status object (the Savanna fields node_status does not hold); nullopt when
/// the node does not answer.
std::optional<rapidjson::Document> raw_status(node_process& n);

/// The devnet (configure_devnet with the hand-over), node N the finalizer with key N, started.
void start_savanna_devnet(cluster& c);

/// Asks each of `producers` to activate Savanna with devnet finalizers `keys` (threshold 0: the
/// default, more than two thirds); fails the test unless one accepts.
void activate_savanna(const std::vector<node_process*>& producers, const std::vector<int>& keys,
                      uint64_t threshold = 0);
/// True when every node runs Savanna with a strong last QC and its LIB within `max_lag` blocks
/// of its head.
bool savanna_final(const std::vector<node_process*>& nodes, uint64_t max_lag = 4);

} // namespace it
