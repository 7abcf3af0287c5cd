// The request_message shapes a Leap 5 peer refuses (PROTOCOL.md §3.5).
#include "net/request_checks.hpp"

#include <catch2/catch.hpp>

using namespace core;

TEST_CASE("request checks: more than one block id, or transaction ids in mode none or normal", "[net]") {
   request_message ok;
   ok.req_blocks = {id_list_mode::catch_up, 0, {checksum256{}}};
   CHECK_FALSE(invalid_request(ok));
   CHECK_FALSE(invalid_request(request_message{}));

   auto two = ok;
   two.req_blocks.ids.push_back(checksum256{});
   REQUIRE(invalid_request(two));
   CHECK(*invalid_request(two) == "request_message with 2 block ids (at most 1)");

   for (auto mode : {id_list_mode::none, id_list_mode::normal}) {
      request_message trx;
      trx.req_trx = {mode, 0, {checksum256{}}};
      CHECK(invalid_request(trx));
   }
   request_message catch_up_trx;
   catch_up_trx.req_trx = {id_list_mode::catch_up, 0, {checksum256{}}};
   CHECK_FALSE(invalid_request(catch_up_trx));
}
