#include "support/deep_mind.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "support/golden.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace test {

namespace {

template <class T>
T unpack_hex(const std::string& hex, const char* what) {
   auto raw = core::from_hex(hex);
   if (!raw)
      throw std::runtime_error(std::string("deep-mind: bad hex in ") + what);
   auto v = core::unpack<T>(*raw);
   if (!v)
      throw std::runtime_error(std::string("deep-mind: ") + what + ": " + v.error().message());
   return std::move(*v);
}

deep_mind_chain load() {
   deep_mind_chain c;
   const auto dir = shared_path("protocol/data/spring-deep-mind");
   auto log = core::nodeos_block_log::open(dir + "/blocks.log");
   if (!log)
      throw std::runtime_error("deep-mind: " + log.error());
   if (!log->genesis())
      throw std::runtime_error("deep-mind: blocks.log has no genesis");
   c.genesis = *log->genesis();
   auto cur = log->begin();
   for (;;) {
      auto e = cur.next();
      if (!e)
         throw std::runtime_error("deep-mind: " + e.error().message());
      if (!*e)
         break;
      auto b = log->decode(**e);
      if (!b)
         throw std::runtime_error("deep-mind: " + b.error().message());
      c.blocks.push_back(std::move(*b));
   }
   std::ifstream in(dir + "/deep-mind.log");
   std::string line;
   while (std::getline(in, line)) {
      std::istringstream ss(line);
      std::string tag, kind;
      ss >> tag >> kind;
      if (kind != "ACCEPTED_BLOCK_V2")
         continue;
      deep_mind_record r;
      std::string id, block, fd, pp, fp;
      ss >> id >> r.block_num >> r.lib >> block >> fd >> pp >> fp;
      auto parsed_id = core::checksum256::from_string(id);
      if (!parsed_id)
         throw std::runtime_error("deep-mind: bad block id " + id);
      r.id = *parsed_id;
      r.block = unpack_hex<core::signed_block>(block, "signed_block");
      r.finality = unpack_hex<finality_data>(fd, "finality_data");
      r.active_proposer_policy = unpack_hex<core::proposer_policy>(pp, "proposer_policy");
      r.active_finalizer_policy = unpack_hex<string_key_finalizer_policy>(fp, "finalizer_policy");
      c.records.push_back(std::move(r));
   }
   if (c.records.empty())
      throw std::runtime_error("deep-mind: no ACCEPTED_BLOCK_V2 lines");
   return c;
}

} // namespace

const deep_mind_record* deep_mind_chain::record(uint32_t num) const {
   for (const auto& r : records)
      if (r.block_num == num)
         return &r;
   return nullptr;
}

const deep_mind_chain& deep_mind() {
   static const deep_mind_chain c = load();
   return c;
}

} // namespace test
