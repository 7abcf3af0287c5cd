#pragma once
/// Writes a new nodeos `blocks.log` (version 3) and its `blocks.index` (PROTOCOL.md §14).
///
/// Both files are written under temporary names in the target directory and renamed into place by
/// commit(); a writer destroyed before commit() removes them, so a failure never leaves a partial
/// log under the real names. Single-threaded; one writer per directory.
#include "codec/result.hpp"
#include "crypto/checksum.hpp"
#include "types/genesis.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <variant>

namespace core {

class nodeos_block_log_writer {
public:
   static constexpr uint32_t version = 3; ///< genesis_state_or_chain_id_version
   /// Genesis state (required when the log starts at block 1) or the chain id.
   using genesis_or_chain_id = std::variant<genesis_state, checksum256>;

   /// Creates `dir` if needed and starts `dir/blocks.log` + `dir/blocks.index` (as temp files)
   /// with the v3 preamble. Refuses when `dir/blocks.log` already exists. A genesis state given
   /// with first_block_num > 1 is written as its chain id.
   static result<nodeos_block_log_writer> create(const std::filesystem::path& dir, uint32_t first_block_num,
                                                 const genesis_or_chain_id& genesis);

   nodeos_block_log_writer(nodeos_block_log_writer&& o) noexcept;
   nodeos_block_log_writer& operator=(nodeos_block_log_writer&&) = delete;
   nodeos_block_log_writer(const nodeos_block_log_writer&) = delete;
   ~nodeos_block_log_writer();

   /// Appends one packed signed_block, which must be block next_block_num() (read from its
   /// `previous` field).
   result<bool> append(std::span<const uint8_t> packed_block);
   uint32_t next_block_num() const { return next_num_; }

   /// Flushes, fsyncs and renames both files into place (index first, then the log).
   result<bool> commit();

private:
   nodeos_block_log_writer() = default;
   result<bool> write(std::FILE* f, const std::filesystem::path& p, std::span<const uint8_t> bytes);
   void discard();

   std::filesystem::path dir_;
   std::FILE* log_ = nullptr;
   std::FILE* index_ = nullptr;
   uint64_t log_pos_ = 0;
   uint32_t next_num_ = 0;
   bool committed_ = false;
};

} // namespace core
