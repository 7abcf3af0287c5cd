#include "log_copy.hpp"

#include "importer.hpp"
#include "progress.hpp"

#include "blocklog/nodeos_block_log_writer.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <ostream>

namespace blockdump {

namespace {

struct copy_options {
   source_options src;
   range_options range;
};

void add_output_options(CLI::App& cmd, range_options& r) {
   cmd.add_option("--format", r.format, "output format: nodeos (blocks.log + blocks.index) or data-dir")
      ->check(CLI::IsMember({"nodeos", "data-dir"}));
   cmd.add_flag("--include-reversible", r.include_reversible,
                "with --data-dir: also the best reversible branch after the LIB");
}

/// Prints "blockdump <what>: <why>" and returns the failure exit code.
int copy_failed(std::ostream& err, const char* what, const std::string& why) {
   err << "blockdump " << what << ": " << why << '\n';
   return 1;
}

int write_nodeos(const block_source& src, const range_options& r, uint32_t first, uint32_t last, const char* what,
                 std::ostream& out, std::ostream& err) {
   auto fail = [&](const std::string& why) { return copy_failed(err, what, why); };
   core::nodeos_block_log_writer::genesis_or_chain_id g = src.chain_id();
   if (auto gen = src.genesis())
      g = *gen;
   else if (first == 1)
      return fail("the log has no genesis state, which a log starting at block 1 needs");
   const std::filesystem::path dir(r.output_dir);
   auto w = core::nodeos_block_log_writer::create(dir, first, g);
   if (!w)
      return fail(w.error());

   progress prog(err, what, first, last);
   std::string append_error;
   auto walked = src.walk(first, last, r.include_reversible, [&](const source_block& b) {
      if (auto a = w->append(b.bytes); !a) {
         append_error = a.error();
         return false;
      }
      prog.update(b.block_num);
      return true;
   });
   if (!walked)
      return fail(walked.error());
   if (!append_error.empty())
      return fail(append_error);
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

int write_data_dir(const block_source& src, const range_options& r, uint32_t first, uint32_t last, const char* what,
                   std::ostream& out, std::ostream& err) {
   auto fail = [&](const std::string& why) { return copy_failed(err, what, why); };
   if (first != 1)
      throw CLI::ValidationError("--first", "--format data-dir needs the range to start at block 1");
   auto genesis = src.genesis();
   if (!genesis)
      return fail("the source has no genesis state, which a new data dir needs");
   const std::filesystem::path dir(r.output_dir);
   if (std::filesystem::exists(store_path(dir) / "CURRENT"))
      return fail(fmt::format("{}: a store already exists; refusing to overwrite", store_path(dir).string()));
   auto store = core::rocksdb_chain_store::open(store_path(dir), import_store_options());
   if (!store)
      return fail(store.error());
   auto opened = open_import_chain(**store, genesis);
   if (!opened)
      return fail(opened.error());
   core::controller& chain = **opened;
   importer imp(chain);
   progress prog(err, what, first, last);
   auto walked = src.walk(first, last, r.include_reversible, [&](const source_block& b) {
      imp.offer(std::make_shared<const core::signed_block>(b.block));
      prog.update(b.block_num);
      return true;
   });
   imp.finish();
   if (!walked)
      return fail(walked.error());
   const auto& c = imp.counts();
   if (c.invalid)
      return fail(fmt::format("{} invalid blocks, first: {}", c.invalid, c.first_error));
   if (c.unlinkable)
      return fail(fmt::format("{} blocks could not be linked", c.unlinkable));
   out << fmt::format("{:<16}{}\n", "wrote", store_path(dir).string());
   out << fmt::format("{:<16}{}..{}\n", "blocks", first, last);
   out << fmt::format("{:<16}{} {}\n", "head", chain.head()->block_num(), chain.head()->id().to_string());
   out << fmt::format("{:<16}{}\n", "lib", chain.last_irreversible_block_num());
   out << fmt::format("{:<16}{}\n", "chain_id", chain.chain_id().to_string());
   return 0;
}

} // namespace

int copy_range(const block_source& src, const range_options& r, const char* what, std::ostream& out,
               std::ostream& err) {
   const uint32_t src_last = r.include_reversible ? src.last_with_reversible() : src.last_block_num();
   const auto range = resolve_range(src.first_block_num(), src_last, r.first, r.last);
   if (!range)
      throw CLI::ValidationError("--blocks-dir", "the source holds no blocks");
   const auto [first, last] = *range;
   if (r.format == "data-dir")
      return write_data_dir(src, r, first, last, what, out, err);
   return write_nodeos(src, r, first, last, what, out, err);
}

void add_range_copy_command(CLI::App& app, const range_command& spec, std::ostream& out, std::ostream& err,
                            int& rc) {
   auto opt = std::make_shared<copy_options>();
   auto* cmd = app.add_subcommand(spec.name, spec.description);
   add_source_options(*cmd, opt->src);
   if (spec.range != range_flags::none) {
      auto* first = cmd->add_option("--first,-f", opt->range.first, spec.first_help);
      auto* last = cmd->add_option("--last,-l", opt->range.last, spec.last_help);
      if (spec.range == range_flags::required) {
         first->required();
         last->required();
      }
   }
   cmd->add_option("--output-dir", opt->range.output_dir, "directory for the new blocks.log and blocks.index, or the new data dir")
      ->required();
   add_output_options(*cmd, opt->range);
   cmd->callback([opt, what = spec.name, &out, &err, &rc] {
      check_range_flags(opt->range.first, opt->range.last);
      auto src = block_source::open(opt->src);
      if (!src) {
         err << "blockdump: " << src.error() << '\n';
         rc = 1;
         return;
      }
      rc = copy_range(**src, opt->range, what, out, err);
   });
}

} // namespace blockdump
