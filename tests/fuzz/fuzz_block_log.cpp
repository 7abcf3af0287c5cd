// libFuzzer target: nodeos_block_log, the reader under blockdump and the node's log import, on an
// arbitrary file as blocks.log (and as blocks.index). The input is a memory file the reader maps by
// name, as it maps a log on disk.
// Properties: a log that does not open says why; one that opens has a consistent preamble and
// intact part (the damage, when there is one, is where the intact part ends); a walk from the
// first block gives consecutive blocks, each of which decodes and reads again the same at its
// offset, inside the intact part, and either ends after the last block or stops on an error that
// says why; an index is a whole number of offsets.
#include "fuzz_check.hpp"
#include "memory_file.hpp"

#include "blocklog/nodeos_block_log.hpp"

#include <string>

namespace {

void check_log(const std::string& path, std::size_t size) {
   auto log = core::nodeos_block_log::open(path);
   if (!log) {
      FUZZ_CHECK(!log.error().empty());
      return;
   }
   FUZZ_CHECK(log->version() >= core::nodeos_block_log::min_version &&
              log->version() <= core::nodeos_block_log::max_version);
   FUZZ_CHECK(log->first_block_num() >= 1);
   FUZZ_CHECK(log->file_size() == size);
   FUZZ_CHECK(log->first_entry_offset() <= log->intact_end() && log->intact_end() <= size);
   FUZZ_CHECK(log->last_block_num() + uint64_t(1) >= log->first_block_num());
   if (log->genesis())
      FUZZ_CHECK(log->genesis()->compute_chain_id() == log->chain_id());
   if (const auto& d = log->damaged()) {
      FUZZ_CHECK(d->offset == log->intact_end());
      FUZZ_CHECK(d->block_num == log->last_block_num() + 1);
      FUZZ_CHECK(!d->what.empty() && !log->damage_message().empty() && !log->damage_detail().empty());
   }
   auto cur = log->begin();
   uint64_t expected = log->first_block_num();
   uint64_t end = log->first_entry_offset();
   for (;;) {
      auto e = cur.next();
      if (!e) {
         // A walk stops on the damage, or on an entry that does not read (the open checks only
         // the last one when the log ends with a whole entry).
         FUZZ_CHECK(!e.error().message().empty());
         if (log->damaged())
            FUZZ_CHECK(expected <= log->last_block_num() + uint64_t(1));
         break;
      }
      if (!*e) {
         FUZZ_CHECK(!log->damaged());
         FUZZ_CHECK(expected == log->last_block_num() + uint64_t(1)); // every block, then the end
         FUZZ_CHECK(end == size);
         break;
      }
      const auto& entry = **e;
      FUZZ_CHECK(entry.block_num == expected);
      FUZZ_CHECK(entry.offset == end);
      FUZZ_CHECK(entry.offset + entry.bytes.size() + 8 <= log->intact_end());
      auto again = log->entry_at(entry.offset);
      FUZZ_CHECK(again.has_value() && fuzz::same_bytes(again->bytes, entry.bytes));
      auto block = log->decode(entry);
      FUZZ_CHECK(block.has_value());
      FUZZ_CHECK(block->block_num() == entry.block_num);
      end = entry.offset + entry.bytes.size() + 8;
      ++expected;
   }
}

void check_index(const std::string& path, std::size_t size) {
   auto index = core::nodeos_block_log::read_index(path);
   if (!index) {
      FUZZ_CHECK(size % 8 != 0 && !index.error().empty());
      return;
   }
   FUZZ_CHECK(index->has_value() && (*index)->size() * 8 == size);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const fuzz::memory_file file({data, size});
   check_log(file.path(), size);
   check_index(file.path(), size);
   return 0;
}
