#include "savanna.hpp"

#include "crypto/sha256.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>


namespace it {

core::bls::private_key devnet_finalizer_key(int n) {
   return core::bls::private_key::from_seed(core::sha256(fmt::format("devnet.finalizer.{}", n)).data).value();
}

std::string devnet_finalizer(int n) {
   return fmt::format("node{}={}", n, devnet_finalizer_key(n).get_public_key().to_string());
}

void make_finalizer(node_process& node, int n) {
   const auto k = devnet_finalizer_key(n);
   node.set("signature-provider", k.get_public_key().to_string() + "=KEY:" + k.to_string());
   node.set("project-action-mroots", "true");
}

void start_savanna_devnet(cluster& c) {
   configure_devnet(c, true);
   for (int i = 0; i < 3; ++i)
      make_finalizer(c[i], i + 1);
   for (auto* n : c.all())
      n->start();
}

std::optional<rapidjson::Document> raw_status(node_process& n) {
   auto r = n.ctl({"status"}, std::chrono::seconds(3));
   if (r.rc != 0)
      return std::nullopt;
   auto d = parse_object(r.out);
   if (!d || !d->HasMember("head_block_num"))
      return std::nullopt;
   return d;
}

void activate_savanna(const std::vector<node_process*>& producers, const std::vector<int>& keys, uint64_t threshold) {
   std::vector<std::string> args{"activate-savanna"};
   if (threshold)
      args.insert(args.end(), {"--threshold", std::to_string(threshold)});
   for (int k : keys)
      args.push_back(devnet_finalizer(k));
   int accepted = 0;
   for (auto* n : producers) {
      auto r = n->ctl(args);
      INFO(n->name() << ": " << r.out << r.err);
      accepted += r.rc == 0;
   }
   REQUIRE(accepted >= 1);
}

bool savanna_final(const std::vector<node_process*>& nodes, uint64_t max_lag) {
   for (auto* n : nodes) {
      auto s = raw_status(*n);
      if (!s || str_member(*s, "consensus") != "savanna" || str_member(*s, "last_qc") != "strong" ||
          uint_member(*s, "lib_lag_blocks", 999) > max_lag)
         return false;
   }
   return true;
}

} // namespace it
