#pragma once
/// Repairs a nodeos blocks.log whose end is not a whole entry (a torn write, a cut copy) and its
/// blocks.index: the log is cut after its last whole block (walked from the first) and the index
/// is rebuilt from the entries kept. What nodeos's --fix-reversible-blocks / repair does to its
/// own log, and what leap-util's `block-log smoke-test` checks.
///
/// Into another directory, the original is only read: the new log and index are written under
/// temporary names and renamed into place. In place, the bytes cut off are first saved beside
/// the log (blocks.log.cut-at-<offset>), so nothing is lost; the log is then truncated and the
/// index replaced by rename. Both end with the repaired log read back and checked.
#include "blocklog/nodeos_block_log.hpp"
#include "codec/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace core {

struct block_log_repair {
   uint32_t first_block_num = 0;
   uint32_t last_block_num = 0; ///< of the log as repaired (first - 1 when it holds no block)
   /// Where the log was cut and why; nullopt when it ends with a whole entry.
   std::optional<nodeos_block_log::damage> cut;
   uint64_t cut_bytes = 0;   ///< bytes removed from the end
   std::string index_before; ///< "ok", "absent", or what was wrong with blocks.index
   bool index_rebuilt = false;
   std::filesystem::path kept_tail; ///< in place: where the bytes cut off were saved
   std::filesystem::path log_path;  ///< the repaired (or, when nothing was wrong, the checked) log

   /// Nothing was wrong: no file was written.
   bool intact() const { return !cut && !index_rebuilt; }
};

/// Repairs `src_dir`/blocks.log and blocks.index into `out_dir` (equal paths: in place). A log
/// whose preamble does not read cannot be repaired. Into another directory, refuses when
/// `out_dir` already holds a blocks.log or blocks.index; when nothing is wrong, writes nothing.
/// Error: one line.
result<block_log_repair> repair_block_log(const std::filesystem::path& src_dir, const std::filesystem::path& out_dir);

} // namespace core
