#include "log_copy.hpp"

#include "progress.hpp"

#include "blocklog/nodeos_block_log_writer.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <ostream>

namespace blockdump {

void check_range_order(const range_options& r) {
   if (r.first && *r.first == 0)
      throw CLI::ValidationError("--first", "block numbers start at 1");
   if (r.first && r.last && *r.first > *r.last)
      throw CLI::ValidationError("--first", fmt::format("{} is after --last {}", *r.first, *r.last));
}

int copy_range(const core::nodeos_block_log& log, const range_options& r, const char* what, std::ostream& out,
               std::ostream& err) {
   const uint32_t first = r.first.value_or(log.first_block_num());
   const uint32_t last = r.last.value_or(log.last_block_num());
   if (log.block_count() == 0)
      throw CLI::ValidationError("--blocks-dir", "the log has no blocks");
   if (first < log.first_block_num() || first > log.last_block_num())
      throw CLI::ValidationError("--first", fmt::format("{} is outside the log ({}..{})", first,
                                                        log.first_block_num(), log.last_block_num()));
   if (last < first || last > log.last_block_num())
      throw CLI::ValidationError("--last", fmt::format("{} is outside {}..{}", last, first, log.last_block_num()));

   auto fail = [&](const std::string& why) {
      err << "blockdump " << what << ": " << why << '\n';
      return 1;
   };
   core::nodeos_block_log_writer::genesis_or_chain_id g = log.chain_id();
   if (log.genesis())
      g = *log.genesis();
   else if (first == 1)
      return fail("the log has no genesis state, which a log starting at block 1 needs");
   const std::filesystem::path dir(r.output_dir);
   auto w = core::nodeos_block_log_writer::create(dir, first, g);
   if (!w)
      return fail(w.error());

   // Walk from the start: the source index may be absent or stale, and the cursor checks every
   // entry's trailing position.
   progress prog(err, what, first, last);
   auto cur = log.begin();
   for (uint32_t num = log.first_block_num();; ++num) {
      auto e = cur.next();
      if (!e)
         return fail(fmt::format("block {}: {}", num, e.error().message()));
      if (!e->has_value() || (*e)->block_num > last)
         break;
      if ((*e)->block_num < first)
         continue;
      if (auto a = w->append((*e)->bytes); !a)
         return fail(a.error());
      prog.update((*e)->block_num);
   }
   if (w->next_block_num() != last + 1)
      return fail(fmt::format("the log ended at block {} before block {}", w->next_block_num() - 1, last));
   if (auto c = w->commit(); !c)
      return fail(c.error());
   auto check = core::nodeos_block_log::open(dir / "blocks.log");
   if (!check)
      return fail(fmt::format("written log does not read back: {}", check.error()));
   if (check->first_block_num() != first || check->last_block_num() != last)
      return fail(fmt::format("written log holds {}..{}, expected {}..{}", check->first_block_num(),
                              check->last_block_num(), first, last));
   out << fmt::format("{:<16}{}\n", "wrote", (dir / "blocks.log").string());
   out << fmt::format("{:<16}{}\n", "version", core::nodeos_block_log_writer::version);
   out << fmt::format("{:<16}{}..{}\n", "blocks", first, last);
   out << fmt::format("{:<16}{}\n", "chain_id", check->chain_id().to_string());
   return 0;
}

} // namespace blockdump
