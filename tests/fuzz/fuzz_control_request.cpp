// libFuzzer target: one request line on p2pnode's control socket, answered by
// handle_control_request over a fake node (tests/support/fake_control_surface.hpp) that has a
// block, a peer and a BP gossip entry to report, and accepts every change asked of it.
// Properties: the reply is one line of JSON, an object whose "ok" is a boolean; a refusal carries
// a non-empty "error"; only `watch` subscribes, and only when it succeeds; the surface is asked
// to change something (connect, disconnect, push a transaction, activate Savanna) at most once
// per request, and only by a request that is answered "ok" (the fake accepts everything).
#include "fuzz_check.hpp"

#include "control_surface_fixture.hpp"

#include "node/control_commands.hpp"

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace {

test::fake_surface& surface() {
   static auto* s = [] {
      auto* f = new test::fake_surface;
      fuzz::populate(*f);
      return f;
   }();
   return *s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   auto& s = surface();
   s.connects.clear();
   s.disconnects.clear();
   s.pushed.clear();
   s.activated.reset();
   s.log_text.str({});

   const std::string_view line(reinterpret_cast<const char*>(data), size);
   const auto reply = core::handle_control_request(s, line);

   FUZZ_CHECK(!reply.line.empty() && reply.line.find('\n') == std::string::npos);
   rapidjson::Document d;
   d.Parse(reply.line.c_str(), reply.line.size());
   FUZZ_CHECK(!d.HasParseError() && d.IsObject());
   FUZZ_CHECK(d.HasMember("ok") && d["ok"].IsBool());
   const bool ok = d["ok"].GetBool();
   if (!ok)
      FUZZ_CHECK(d.HasMember("error") && d["error"].IsString() && d["error"].GetStringLength() > 0);
   if (reply.subscribe)
      FUZZ_CHECK(ok);

   const std::size_t changes = s.connects.size() + s.disconnects.size() + s.pushed.size() + (s.activated ? 1 : 0);
   FUZZ_CHECK(changes <= 1);
   if (changes == 1)
      FUZZ_CHECK(ok);
   return 0;
}
