#pragma once
/// The action merkle roots of blocks this project produces. Without contract execution there
/// are no action receipts; the project's convention (PROTOCOL.md §0) is one leaf per action,
/// sha256(pack(action)), in transaction and action order. Legacy blocks carry the legacy merkle
/// of those leaves in action_mroot; Savanna blocks build their finality tree on the Savanna
/// merkle of them (the finality tree needs every block's action root, see savanna_state.hpp).
#include "crypto/checksum.hpp"
#include "types/block.hpp"

#include <vector>

namespace core {

/// sha256(pack(action)) for every action of every input transaction of `b`, in order.
std::vector<checksum256> project_action_digests(const signed_block& b);
/// The legacy merkle of project_action_digests(b): the action_mroot of a produced legacy or
/// transition block.
checksum256 project_legacy_action_mroot(const signed_block& b);
/// The Savanna merkle of project_action_digests(b): the action root in a produced Savanna
/// block's finality leaf.
checksum256 project_savanna_action_mroot(const signed_block& b);

} // namespace core
