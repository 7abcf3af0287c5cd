// schedule_log: the hand-over to a new producer schedule shows in the log at info level.
#include "node/schedule_log.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using namespace core;

namespace {

producer_authority_schedule schedule_of(uint32_t version, std::initializer_list<const char*> names) {
   producer_authority_schedule s;
   s.version = version;
   for (const char* n : names)
      s.producers.push_back(producer_authority{*name::from_string(n), block_signing_authority_v0{}});
   return s;
}

block_header_state state(uint32_t num, uint32_t lib, producer_authority_schedule active,
                         producer_authority_schedule pending = {}, uint32_t pending_lib = 0) {
   block_header_state b;
   b.block_num = num;
   b.dpos_irreversible_blocknum = lib;
   b.active_schedule = std::move(active);
   b.pending_schedule.schedule = std::move(pending);
   b.pending_schedule.schedule_lib_num = pending_lib;
   return b;
}

} // namespace

TEST_CASE("schedule_log: a proposed schedule and its activation are logged once each at info", "[node]") {
   std::ostringstream out;
   node_log log(out);
   schedule_log s(log);
   const auto boot = schedule_of(0, {"eosio"});
   const auto three = schedule_of(1, {"proda", "prodb", "prodc"});
   s.start(state(10, 9, boot));
   s.on_block(state(11, 10, boot));
   CHECK(out.str().empty());

   s.on_block(state(12, 11, boot, three, 12)); // block 12 proposes version 1
   s.on_block(state(13, 12, boot, three, 12)); // still pending: nothing more
   const std::string proposed = out.str();
   CHECK(proposed.find("promoting proposed schedule (set in block 12) to pending; current block: 12 lib: 11 "
                       "schedule: version 1: proda, prodb, prodc") != std::string::npos);
   CHECK(proposed.find("info") != std::string::npos);
   CHECK(std::count(proposed.begin(), proposed.end(), '\n') == 1);

   s.on_block(state(14, 12, three)); // block 12 irreversible: version 1 active
   s.on_block(state(15, 13, three));
   const std::string active = out.str().substr(proposed.size());
   CHECK(active.find("producer schedule version 1: proda, prodb, prodc is active from block 14 (lib 12), "
                     "replacing version 0") != std::string::npos);
   CHECK(std::count(active.begin(), active.end(), '\n') == 1);
}

TEST_CASE("schedule_log: a node started after the hand-over logs nothing for it", "[node]") {
   std::ostringstream out;
   node_log log(out);
   schedule_log s(log);
   const auto three = schedule_of(1, {"proda", "prodb", "prodc"});
   s.start(state(100, 99, three));
   s.on_block(state(101, 100, three));
   CHECK(out.str().empty());
}
