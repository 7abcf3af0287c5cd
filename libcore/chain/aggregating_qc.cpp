#include "chain/aggregating_qc.hpp"

#include "crypto/bls/verify.hpp"

#include <algorithm>

namespace core {

// ---- aggregating_qc_sig ----------------------------------------------------------------------

aggregating_qc_sig::aggregating_qc_sig(const finalizer_policy& p)
   : quorum_(p.threshold), max_weak_sum_before_weak_final_(p.max_weak_sum_before_weak_final()),
     strong_bits_(p.finalizers.size()), weak_bits_(p.finalizers.size()) {}

bool aggregating_qc_sig::is_quorum_met() const {
   return state_ == state::strong || state_ == state::weak_achieved || state_ == state::weak_final;
}

vote_status aggregating_qc_sig::add_vote(bool strong, std::size_t index, const bls::signature& sig, uint64_t weight) {
   if (has_voted(index))
      return vote_status::duplicate;
   if (strong) {
      strong_bits_.set(index);
      strong_sig_.add(sig);
      strong_sum_ += weight;
      switch (state_) {
      case state::unrestricted:
      case state::restricted:
         if (strong_sum_ >= quorum_)
            state_ = state::strong;
         else if (weak_sum_ + strong_sum_ >= quorum_)
            state_ = state_ == state::restricted ? state::weak_final : state::weak_achieved;
         break;
      case state::weak_achieved:
         if (strong_sum_ >= quorum_)
            state_ = state::strong;
         break;
      case state::weak_final:
      case state::strong: break;
      }
   } else {
      weak_bits_.set(index);
      weak_sig_.add(sig);
      weak_sum_ += weight;
      switch (state_) {
      case state::unrestricted:
      case state::restricted:
         if (weak_sum_ + strong_sum_ >= quorum_)
            state_ = state::weak_achieved;
         if (weak_sum_ > max_weak_sum_before_weak_final_) {
            if (state_ == state::weak_achieved)
               state_ = state::weak_final;
            else if (state_ == state::unrestricted)
               state_ = state::restricted;
         }
         break;
      case state::weak_achieved:
         if (weak_sum_ >= max_weak_sum_before_weak_final_)
            state_ = state::weak_final;
         break;
      case state::weak_final:
      case state::strong: break;
      }
   }
   return vote_status::success;
}

qc_sig aggregating_qc_sig::from_votes() const {
   qc_sig out;
   out.strong_votes = strong_bits_;
   bls::aggregate_signature sum = strong_sig_;
   if (state_ != state::strong) {
      out.weak_votes = weak_bits_;
      sum.add(weak_sig_);
   }
   out.sig.data = sum.to_signature().bytes();
   return out;
}

std::optional<qc_sig> aggregating_qc_sig::best() const {
   if (!is_quorum_met())
      return received_;
   auto mine = from_votes();
   if (!received_)
      return mine;
   if (received_->is_strong() || mine.is_weak())
      return received_;
   return mine;
}

bool aggregating_qc_sig::set_received(const qc_sig& s) {
   if (!received_ || (received_->is_weak() && s.is_strong())) {
      received_ = s;
      return true;
   }
   return false;
}

// ---- aggregating_qc --------------------------------------------------------------------------

aggregating_qc::aggregating_qc(finalizer_policy_ptr active, finalizer_policy_ptr pending)
   : active_policy_(std::move(active)), pending_policy_(std::move(pending)), active_(*active_policy_) {
   if (pending_policy_)
      pending_.emplace(*pending_policy_);
}

aggregating_qc::outcome aggregating_qc::aggregate_vote(const vote_message& v, const checksum256& digest,
                                                       vote_digests* digests) {
   outcome out;
   std::optional<bls::signature> sig;
   bool checked = false;
   auto verified = [&](const bls::public_key& key) -> bool {
      if (checked)
         return sig.has_value();
      checked = true;
      auto s = bls::signature::from_bytes(v.sig.data);
      if (!s)
         return false;
      const auto weak = make_weak_digest(digest);
      const std::span<const uint8_t> message = v.strong ? std::span<const uint8_t>(digest.data) : weak;
      const bool ok = digests ? bls::verify(key, digests->get(message), *s) : bls::verify(key, message, *s);
      if (ok)
         sig = std::move(*s);
      return ok;
   };
   auto add = [&](const finalizer_policy& p, aggregating_qc_sig& agg, const finalizer_authority*& who) -> vote_status {
      auto it = std::find_if(p.finalizers.begin(), p.finalizers.end(),
                             [&](const finalizer_authority& f) { return f.public_key.bytes() == v.finalizer_key.data; });
      if (it == p.finalizers.end())
         return vote_status::unknown_public_key;
      who = &*it;
      const auto index = static_cast<std::size_t>(it - p.finalizers.begin());
      if (agg.has_voted(index))
         return vote_status::duplicate;
      if (!verified(it->public_key))
         return vote_status::invalid_signature;
      return agg.add_vote(v.strong, index, *sig, it->weight);
   };
   out.status = add(*active_policy_, active_, out.active);
   if (out.status != vote_status::success && out.status != vote_status::unknown_public_key)
      return out;
   if (pending_) {
      const auto ps = add(*pending_policy_, *pending_, out.pending);
      if (ps != vote_status::unknown_public_key)
         out.status = ps;
   }
   return out;
}

bool aggregating_qc::has_voted(const bls_public_key_bytes& key) const {
   auto voted_in = [&](const finalizer_policy& p, const aggregating_qc_sig& agg) -> std::optional<bool> {
      for (std::size_t i = 0; i < p.finalizers.size(); ++i)
         if (p.finalizers[i].public_key.bytes() == key.data)
            return agg.has_voted(i);
      return std::nullopt;
   };
   auto a = voted_in(*active_policy_, active_);
   if (!pending_ || (a && !*a))
      return a.value_or(false);
   auto p = voted_in(*pending_policy_, *pending_);
   return p ? *p : a.value_or(false);
}

bool aggregating_qc::is_quorum_met() const { return active_.is_quorum_met() && (!pending_ || pending_->is_quorum_met()); }

std::optional<quorum_certificate> aggregating_qc::best_qc(uint32_t block_num) const {
   auto active = active_.best();
   if (!active)
      return std::nullopt;
   quorum_certificate qc;
   qc.block_num = block_num;
   qc.active_policy_sig = std::move(*active);
   if (pending_) {
      auto pending = pending_->best();
      if (!pending)
         return std::nullopt;
      qc.pending_policy_sig = std::move(*pending);
   }
   return qc;
}

bool aggregating_qc::set_received_qc(const quorum_certificate& qc) {
   bool better = active_.set_received(qc.active_policy_sig);
   if (pending_ && qc.pending_policy_sig)
      better |= pending_->set_received(*qc.pending_policy_sig);
   return better;
}

bool aggregating_qc::received_qc_is_strong() const {
   return active_.received_is_strong() && (!pending_ || pending_->received_is_strong());
}

} // namespace core
