#include "commands.hpp"

#include "block_source.hpp"
#include "partial_checker.hpp"
#include "progress.hpp"
#include "savanna_fields.hpp"

#include "chain/block_header_state.hpp"
#include "types/devnet.hpp"
#include "chain/replay.hpp"
#include "codec/codec.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>

#include <sys/mman.h>
#include <unistd.h>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <utility>

namespace blockdump {

namespace {
struct verify_options {
   source_options src;
   std::string genesis_json;
   bool json = false;
   bool partial = false; ///< a source not starting at block 1: check what needs no earlier state
};

/// One verified (or failed) block, as printed.
struct block_report {
   uint32_t block_num = 0;
   std::optional<core::signed_block_header> header; ///< set when the block decoded
   std::shared_ptr<const core::block_header_state> state; ///< set when the header validated
   std::optional<core::quorum_certificate> qc;    ///< the block's QC extension, if any
   bool qc_verified = false;                      ///< its aggregate signature verified
   std::string error;                             ///< empty when the block verified

   /// Sets header and qc from the block.
   void set_block(const core::signed_block& b) {
      header = b;
      if (auto bx = core::decode_block_extensions(b.block_extensions); bx && bx->qc)
         qc = bx->qc->qc;
   }
};

std::size_t votes(const std::optional<core::vote_bitset>& bits) { return bits ? bits->count() : 0; }

/// The Savanna fields of a verify --json line: qc_claim and qc.
void print_savanna_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const block_report& r) {
   std::optional<core::finality_extension> f;
   if (r.state) {
      f = r.state->header_exts.finality;
   } else if (r.header) {
      if (auto hx = core::decode_header_extensions(r.header->header_extensions))
         f = hx->finality;
   }
   w.Key("qc_claim");
   write_qc_claim(w, f ? std::optional(f->qc_claim) : std::nullopt);
   w.Key("qc");
   if (!r.qc) {
      w.Null();
      return;
   }
   const auto& qc = *r.qc;
   w.StartObject();
   w.Key("block_num");
   w.Uint(qc.block_num);
   w.Key("strong_votes");
   w.Uint(static_cast<unsigned>(votes(qc.active_policy_sig.strong_votes)));
   w.Key("weak_votes");
   w.Uint(static_cast<unsigned>(votes(qc.active_policy_sig.weak_votes)));
   if (qc.pending_policy_sig) {
      w.Key("pending_strong_votes");
      w.Uint(static_cast<unsigned>(votes(qc.pending_policy_sig->strong_votes)));
      w.Key("pending_weak_votes");
      w.Uint(static_cast<unsigned>(votes(qc.pending_policy_sig->weak_votes)));
   }
   w.Key("verified");
   w.Bool(r.qc_verified);
   w.EndObject();
}

/// `partial`: the state fields are null (no header state) and "partial":true is added.
void print_json(std::ostream& out, const block_report& r, bool partial) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   w.StartObject();
   w.Key("block_num");
   w.Uint(r.block_num);
   const auto* h = r.header ? &*r.header : nullptr;
   const auto* s = r.state ? &*r.state : nullptr;
   w.Key("id");
   h ? (void)w.String(h->calculate_id().to_string().c_str()) : (void)w.Null();
   w.Key("producer");
   h ? (void)w.String(h->producer.to_string().c_str()) : (void)w.Null();
   w.Key("confirmed");
   h ? (void)w.Uint(h->confirmed) : (void)w.Null();
   // The DPoS fields mean nothing after the switch: null on proper Savanna blocks.
   const auto* d = s && !s->is_proper_savanna() ? s : nullptr;
   w.Key("dpos_proposed_irreversible_blocknum");
   d ? (void)w.Uint(d->dpos_proposed_irreversible_blocknum) : (void)w.Null();
   w.Key("dpos_irreversible_blocknum");
   d ? (void)w.Uint(d->dpos_irreversible_blocknum) : (void)w.Null();
   w.Key("active_schedule_version");
   s ? (void)w.Uint(s->active_schedule.version) : (void)w.Null();
   w.Key("last_irreversible_block_num");
   s ? (void)w.Uint(s->irreversible_blocknum()) : (void)w.Null();
   w.Key("savanna");
   h ? (void)w.Bool(h->is_proper_savanna()) : (void)w.Null();
   print_savanna_json(w, r);
   w.Key("ok");
   w.Bool(r.error.empty());
   w.Key("error");
   r.error.empty() ? (void)w.Null() : (void)w.String(r.error.c_str());
   if (partial) {
      w.Key("partial");
      w.Bool(true);
   }
   w.EndObject();
   out << sb.GetString() << '\n';
}

/// Drops the log's mapped pages below `offset` once more than release_step_bytes are resident,
/// so verifying a log of any length keeps resident memory bounded. `base` is the mapping start.
class mapped_pages_releaser {
public:
   void consumed(const uint8_t* base, uint64_t offset) {
      if (offset - released_ < release_step_bytes)
         return;
      const uint64_t page = uint64_t(::sysconf(_SC_PAGESIZE));
      const uint64_t end = offset / page * page;
      if (end > released_)
         ::madvise(const_cast<uint8_t*>(base) + released_, end - released_, MADV_DONTNEED);
      released_ = end;
   }

private:
   /// Mapped log bytes kept resident before they are released.
   static constexpr uint64_t release_step_bytes = 32u << 20;
   uint64_t released_ = 0;
};

/// Strips next()'s "block N: " prefix; the report names the block itself.
std::string without_block_prefix(const std::string& e, uint32_t num) {
   const std::string p = fmt::format("block {}: ", num);
   return e.starts_with(p) ? e.substr(p.size()) : e;
}

/// The genesis to verify from: --genesis-json (checked against the source's chain id) or the
/// source's own (a log preamble, a data dir's metadata).
core::result<core::genesis_state> load_genesis(const verify_options& o, const std::optional<core::genesis_state>& own,
                                               const core::checksum256& chain_id, std::string_view source) {
   if (o.genesis_json.empty()) {
      if (!own)
         return core::unexpected{fmt::format("the {} has no genesis state; pass --genesis-json", source)};
      return *own;
   }
   auto g = core::read_genesis_json(o.genesis_json);
   if (!g)
      return core::unexpected{g.error()};
   if (g->compute_chain_id() != chain_id)
      return core::unexpected{fmt::format("{}: chain id {} differs from the {}'s chain id {}", o.genesis_json,
                                          g->compute_chain_id().to_string(), source, chain_id.to_string())};
   return *g;
}

/// Checks the log's first block against the genesis state (later blocks go through the replayer).
block_report check_genesis_block(const core::signed_block& b, const core::genesis_state& g) {
   block_report r;
   r.block_num = b.block_num();
   r.set_block(b);
   auto s = core::block_header_state::genesis(g);
   const auto id = b.calculate_id();
   if (id != s.id) {
      r.error = fmt::format("id {} is not the genesis block {} of this genesis state", id.to_string(), s.id.to_string());
      return r;
   }
   s.header = b;
   r.state = std::make_shared<const core::block_header_state>(std::move(s));
   const auto mroot = b.calculate_transaction_mroot();
   if (mroot != b.transaction_mroot)
      r.error = fmt::format("transaction_mroot {} does not match the transactions ({})",
                            b.transaction_mroot.to_string(), mroot.to_string());
   return r;
}

/// The chain configuration of a partial run: the genesis's when one is known (--genesis-json or
/// the source's own), else the chain_config defaults.
core::result<core::chain_config> partial_config(const verify_options& o, const std::optional<core::genesis_state>& own,
                                                const core::checksum256& chain_id, std::string_view source) {
   if (o.genesis_json.empty() && !own)
      return core::chain_config{};
   auto g = load_genesis(o, own, chain_id, source);
   if (!g)
      return core::unexpected{g.error()};
   return g->initial_configuration;
}

/// One verification: blocks are reported in order. Full: the first block from the genesis
/// state, the rest through the pipelined replayer (signature recovery on every core). Partial
/// (a source not starting at block 1, with --partial): every block through a partial_checker.
struct verify_run {
   const verify_options& opt;
   std::ostream& out;
   std::ostream& err;
   progress prog;
   core::checksum256 chain_id;
   std::optional<core::genesis_state> genesis;     ///< full runs
   std::unique_ptr<partial_checker> partial;       ///< partial runs
   std::shared_ptr<const core::block_header_state> state; ///< full runs: the last verified block's
   std::optional<std::pair<uint32_t, core::block_id_type>> head; ///< the last verified block
   uint32_t verified = 0;
   std::optional<std::string> failure; ///< "block N: why" of the first failing block
   core::recovery_pool pool;
   std::unique_ptr<core::chain_replayer> replayer;

   verify_run(const verify_options& o, std::ostream& out_, std::ostream& err_, uint32_t first, uint32_t last)
      : opt(o), out(out_), err(err_), prog(err_, "verify", first, last) {}

   /// Chooses full or partial verification of a `source` ("log", "data dir") whose blocks start
   /// at `first`, and loads what it needs. Error: why the run cannot start.
   core::result<bool> start(uint32_t first, const std::optional<core::genesis_state>& own,
                            const core::checksum256& id, std::string_view source) {
      chain_id = id;
      if (first != 1 && !opt.partial)
         return core::unexpected{fmt::format(
            "unsupported: the {} starts at block {}; verifying it fully needs the chain state at block {}, which "
            "blockdump cannot load (pass --partial to check what needs no earlier state)",
            source, first, first - 1)};
      if (first != 1) {
         auto config = partial_config(opt, own, chain_id, source);
         if (!config)
            return core::unexpected{config.error()};
         err << fmt::format("blockdump: partial verification from block {}: header-state rules (schedule, "
                            "producer signature, DPoS LIB) are not checked\n",
                            first);
         partial = std::make_unique<partial_checker>(chain_id, *config, first);
         return true;
      }
      if (opt.partial)
         err << fmt::format("blockdump: --partial was not needed: the {} starts at block 1; verifying it fully\n",
                            source);
      auto g = load_genesis(opt, own, chain_id, source);
      if (!g)
         return core::unexpected{g.error()};
      genesis = std::move(*g);
      return true;
   }

   void report(block_report& rep) {
      if (opt.json)
         print_json(out, rep, partial != nullptr);
      if (!rep.error.empty()) {
         failure = fmt::format("block {}: {}", rep.block_num, rep.error);
         return;
      }
      if (rep.state) {
         state = std::move(rep.state);
         head.emplace(state->block_num, state->id);
      } else {
         head.emplace(rep.block_num, rep.header->calculate_id());
      }
      ++verified;
      prog.update(rep.block_num);
   }

   /// Feeds the source's next block. False once a failure is known (finish() reports it).
   bool push(core::signed_block b) {
      if (partial) {
         block_report rep;
         rep.block_num = b.block_num();
         rep.error = partial->check_and_record(b, b.calculate_id());
         rep.set_block(b);
         report(rep);
         return !failure;
      }
      if (!replayer) {
         first(b);
         return !failure;
      }
      return replayer->push(std::make_shared<const core::signed_block>(std::move(b)));
   }

   /// The source's first block: checked against the genesis; on success the replayer starts.
   void first(const core::signed_block& b) {
      const auto& g = *genesis;
      auto rep = check_genesis_block(b, g);
      if (rep.error.empty())
         replayer = std::make_unique<core::chain_replayer>(
            *rep.state, core::replay_config{chain_id, g.initial_configuration, 0, {}}, pool,
            [this](const core::replayed_block& r) {
               block_report x;
               x.block_num = r.block->block_num();
               x.set_block(*r.block);
               x.state = r.state;
               x.qc_verified = r.qc_verified;
               x.error = r.header_ok() ? r.error : without_block_prefix(r.error, x.block_num);
               report(x);
            });
      report(rep);
   }

   /// Drains the replayer, then reports the failure ("blockdump: block N: why", exit 1) or, in
   /// text mode, the summary. Returns the exit code.
   int finish(uint32_t first_num) {
      if (replayer && !failure)
         replayer->finish();
      if (failure)
         return fail(err, *failure);
      if (opt.json)
         return exit_ok;
      out << fmt::format("{:<16}{}\n", "verified", verified);
      if (head) {
         out << fmt::format("{:<16}{}..{}\n", "blocks", first_num, head->first);
         out << fmt::format("{:<16}{} {}\n", "head", head->first, head->second.to_string());
      }
      if (state) {
         out << fmt::format("{:<16}{}\n", "lib", state->irreversible_blocknum());
         out << fmt::format("{:<16}{}\n", "schedule", state->active_schedule.version);
         savanna_fields::of_state(*state).print_text(out);
      }
      if (partial)
         out << fmt::format("{:<16}{}\n", "partial", "header-state rules not checked");
      out << fmt::format("{:<16}{}\n", "result", "ok");
      return exit_ok;
   }
};

/// verify --data-dir: the store's irreversible blocks, then its best reversible branch.
int verify_data_dir(const verify_options& o, const streams& io) {
   auto src = block_source::open(o.src);
   if (!src)
      return fail(io.err, src.error());
   const auto& s = **src;
   const uint32_t first = s.first_block_num();
   const uint32_t last = s.last_with_reversible();
   verify_run run(o, io.out, io.err, first, last);
   if (auto started = run.start(first, s.genesis(), s.chain_id(), "data dir"); !started)
      return fail(io.err, started.error());
   auto walked = s.walk(first, last, true, [&](const source_block& b) {
      if (run.failure)
         return false;
      return run.push(b.block);
   });
   if (!walked && !run.failure) {
      if (run.replayer)
         run.replayer->finish();
      if (!run.failure)
         run.failure = walked.error();
   }
   return run.finish(first);
}

} // namespace

command add_verify_command(CLI::App& app, const streams& io) {
   auto opt = std::make_shared<verify_options>();
   auto* cmd = app.add_subcommand(
      "verify", "validate every block from genesis: linkage, schedule, confirmations, signatures, transaction_mroot");
   add_source_options(*cmd, opt->src);
   cmd->add_option("--genesis-json", opt->genesis_json, "nodeos genesis.json (default: the log's preamble)");
   add_json_flag(*cmd, opt->json);
   cmd->add_flag("--partial", opt->partial,
                 "for a source not starting at block 1: check only what needs no earlier chain state");
   return {cmd, [opt, &io] {
      if (!opt->src.data_dir.empty())
         return verify_data_dir(*opt, io);
      auto log = open_source(opt->src);
      if (!log)
         return fail(io.err, log.error());
      verify_run run(*opt, io.out, io.err, log->first_block_num(), log->last_block_num());
      if (auto started = run.start(log->first_block_num(), log->genesis(), log->chain_id(), "log"); !started)
         return fail(io.err, started.error());

      mapped_pages_releaser pages;
      auto cur = log->begin();
      while (!run.failure) {
         auto e = cur.next();
         block_report rep;
         if (!e) {
            rep.error = entry_error_detail(*log, e.error());
         } else if (!e->has_value()) {
            break;
         } else if (auto b = log->decode(**e); !b) {
            rep.block_num = (*e)->block_num;
            rep.error = b.error().message();
         } else {
            pages.consumed((*e)->bytes.data() - (*e)->offset, (*e)->offset);
            if (!run.push(std::move(*b)))
               break; // a failure is pending; finish() reports it
            continue;
         }
         // A log error: report every block before it first.
         if (run.replayer && !run.replayer->finish())
            break;
         if (!e)
            rep.block_num = log->first_block_num() + run.verified;
         run.report(rep);
      }
      return run.finish(log->first_block_num());
   }};
}

} // namespace blockdump
