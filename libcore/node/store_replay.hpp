#pragma once
/// p2pnode --replay-blockchain: rebuilds a data dir's store from its own blocks with full
/// validation through the controller, as nodeos's --replay-blockchain rebuilds its state from
/// blocks.log. The store at `path` moves to `<path>.replay` (the source); a new store is built at
/// `path` from the source's genesis by accepting every irreversible block in order, then the
/// reversible ones; on success the source is removed. A replay interrupted (kill -9) leaves
/// `<path>.replay`, from which the next replay starts again, and the node refuses to open
/// without the flag meanwhile (replay_leftover). A block that fails validation stops the replay
/// and puts the source back where it was. Progress goes to the log every few seconds.
#include "codec/result.hpp"
#include "net/net_time.hpp"
#include "net/node_log.hpp"
#include "types/genesis.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace core {

struct replay_result {
   uint64_t blocks = 0; ///< blocks accepted (irreversible and reversible)
   uint32_t head = 0;
   uint32_t lib = 0;
   double seconds = 0;
};

/// `genesis`, when given, must be the source's. Time (progress, the chain's clock) comes from
/// `clock`, the system's when none is given. Error: one line.
result<replay_result> replay_store(const std::filesystem::path& path, const std::optional<genesis_state>& genesis,
                                   node_log& log, const net_clock* clock = nullptr);

/// Where an interrupted replay of the store at `path` left its source, if it did.
std::optional<std::filesystem::path> replay_leftover(const std::filesystem::path& path);

} // namespace core
