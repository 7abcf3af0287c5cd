#include "recorded_session.hpp"

#include "support/tcp_proxy.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace std::chrono_literals;

namespace it {

std::vector<test::sent_bytes> record_sync_session(cluster& c) {
   auto& src = c.add("src");
   seed_chain(src.data_dir(), 30, {2, 200});
   src.set("genesis-json", (src.data_dir() / "genesis.json").string());
   src.start();
   const auto target = src.require_status();
   tcp_proxy proxy(src.port());
   auto& dst = c.add("dst");
   dst.set("genesis-json", (src.data_dir() / "genesis.json").string())
      .set("p2p-peer-address", "127.0.0.1:" + std::to_string(proxy.port()));
   dst.start();
   IT_WAIT_REQUIRE(c.logs(), 60s, dst.status() && dst.status()->lib_num >= target.lib_num);
   dst.stop();
   std::this_thread::sleep_for(300ms); // the close goes through the proxy
   proxy.stop();
   std::vector<test::sent_bytes> sent;
   for (const auto& ch : proxy.chunks())
      if (ch.connection == 1)
         sent.push_back({std::chrono::duration<double>(ch.at.time_since_epoch()).count(),
                         ch.dir == tcp_proxy::direction::to_upstream, ch.bytes});
   REQUIRE_FALSE(sent.empty());
   return sent;
}

} // namespace it
