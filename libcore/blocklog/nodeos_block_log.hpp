#pragma once
/// Read-only access to nodeos `blocks.log` / `blocks.index` (versions 1–3, PROTOCOL.md §14;
/// Leap libraries/chain/block_log.cpp). The log is memory-mapped; nothing is loaded whole.
///
/// Layout: u32 version; u32 first_block_num (absent in version 1, where it is 1); a packed
/// genesis_state (version < 3 or first_block_num == 1) or a 32-byte chain id; the u64 totem
/// 0xFFFFFFFFFFFFFFFF (absent in version 1). Then per block: the packed signed_block followed by
/// the u64 file offset at which that entry starts. blocks.index holds one u64 offset per block.
#include "codec/decode_error.hpp"
#include "codec/result.hpp"
#include "crypto/checksum.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>

namespace core {

/// A read-only memory mapping of a whole file.
class mapped_file {
public:
   static result<std::shared_ptr<const mapped_file>> open(const std::filesystem::path& p);
   ~mapped_file();
   std::span<const uint8_t> bytes() const { return {data_, size_}; }

private:
   mapped_file() = default;
   const uint8_t* data_ = nullptr;
   std::size_t size_ = 0;
};

class nodeos_block_log {
public:
   static constexpr uint32_t min_version = 1;
   static constexpr uint32_t max_version = 3;
   static constexpr uint64_t totem = 0xFFFFFFFFFFFFFFFFull;

   /// One entry of the log: the block's bytes (without the trailing position) and where it is.
   struct entry {
      uint32_t block_num;
      uint64_t offset;                ///< file offset of the packed block
      std::span<const uint8_t> bytes; ///< the packed signed_block
   };

   /// Where a log stops being readable: its end is not a whole entry (a torn write, a cut copy)
   /// or an entry does not decode. The blocks before `offset` read normally.
   struct damage {
      uint64_t offset;    ///< file offset of the first entry that does not read
      uint32_t block_num; ///< the block expected there
      std::string what;   ///< why it does not read (one line)
   };

   /// Opens and checks the preamble and the trailing position of the last block. When that
   /// trailing position does not name a whole last entry, the entries are walked from the first
   /// to find the last whole one: the log opens with last_block_num() that block and damaged()
   /// set. Errors (the preamble, an unreadable file) name the file and what is wrong
   /// ("blocks.log: unsupported version 7").
   static result<nodeos_block_log> open(const std::filesystem::path& blocks_log);

   uint32_t version() const { return version_; }
   uint32_t first_block_num() const { return first_block_num_; }
   /// Block number of the last entry (first_block_num - 1 when the log has no blocks).
   uint32_t last_block_num() const { return last_block_num_; }
   uint32_t block_count() const { return last_block_num_ + 1 - first_block_num_; }
   const std::optional<genesis_state>& genesis() const { return genesis_; }
   const checksum256& chain_id() const { return chain_id_; }
   /// Offset of the first entry (the preamble's size).
   uint64_t first_entry_offset() const { return first_entry_offset_; }
   uint64_t file_size() const { return file_->bytes().size(); }
   /// Set when the log's tail does not read (see open()); a walk reaching it fails.
   const std::optional<damage>& damaged() const { return damage_; }
   /// One line for a walk that reached the damage: "blocks.log: torn at byte N: block B does not
   /// read (why); blocks F..B-1 before it are intact".
   std::string damage_message() const;
   /// The same for a message that names the block already: "the log is torn at byte N: the
   /// block does not read (why); blocks F..B-1 before it are intact".
   std::string damage_detail() const;
   /// Offset just past the last whole entry (the file size for an intact log).
   uint64_t intact_end() const { return damage_ ? damage_->offset : file_size(); }

   /// Reads the entry starting at `offset`: decodes the block to find its end and checks the
   /// trailing position equals `offset`.
   result<entry, decode_error> entry_at(uint64_t offset) const;
   /// Decoded block of an entry.
   result<signed_block, decode_error> decode(const entry& e) const;

   /// Forward iteration from the first block; `next()` returns nullopt at the end of the log.
   class cursor {
   public:
      result<std::optional<entry>, decode_error> next();
      uint64_t offset() const { return offset_; }

   private:
      friend class nodeos_block_log;
      cursor(const nodeos_block_log& log, uint64_t offset, uint32_t num) : log_(&log), offset_(offset), num_(num) {}
      const nodeos_block_log* log_;
      uint64_t offset_;
      uint32_t num_;
   };
   cursor begin() const { return cursor(*this, first_entry_offset_, first_block_num_); }

   /// Offsets from blocks.index beside the log (nullopt when there is no index file).
   static result<std::optional<std::vector<uint64_t>>> read_index(const std::filesystem::path& blocks_index);

private:
   std::shared_ptr<const mapped_file> file_;
   uint32_t version_ = 0;
   uint32_t first_block_num_ = 1;
   uint32_t last_block_num_ = 0;
   std::optional<genesis_state> genesis_;
   checksum256 chain_id_;
   uint64_t first_entry_offset_ = 0;
   std::string file_name_;
   std::optional<damage> damage_;
};

} // namespace core
