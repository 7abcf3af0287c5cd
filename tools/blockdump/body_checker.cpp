#include "body_checker.hpp"

namespace blockdump {

body_checker::body_checker(const core::checksum256& chain_id, const core::chain_config& config)
   : ctx_(history_.context(chain_id, config)) {}

std::string body_checker::check_and_record(const core::signed_block& b, const core::block_id_type& id) {
   history_.expire(b.timestamp);
   auto r = core::validate_block_body(b, ctx_, pool_);
   if (!r)
      return r.error().to_string();
   history_.record_transactions(*r);
   history_.record_block(b.block_num(), id);
   return {};
}

} // namespace blockdump
