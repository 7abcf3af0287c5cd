#pragma once
/// This node's finalizers (Spring's my_finalizers_t): their BLS keys and safety information,
/// kept in the finalizer safety file. For each Savanna block it offers, every finalizer that
/// the block's active or pending policy names decides its vote (decide_vote) and signs it
/// (finalizer_vote); the file is written durably before any vote is returned, so a vote that
/// leaves this node is always covered by the file a restart reads.
///
/// Safety information in the file for keys not configured any more is kept and written back,
/// as Spring does. A finalizer without safety information starts, as Spring's do at startup,
/// with no last vote and its lock on the block's last final block.
///
/// Thread affinity: the controller's thread.
#include "chain/safety_file.hpp"
#include "crypto/bls/private_key.hpp"
#include "types/vote_message.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <vector>

namespace core {

class finalizer_set {
public:
   struct key_pair {
      bls::public_key pub;
      bls::private_key priv;
   };

   /// Reads the safety file at `path` (missing: a first start). Error: one line (a damaged or
   /// unreadable file: the node must not vote without it).
   static result<finalizer_set> open(std::filesystem::path path, const std::vector<key_pair>& keys);

   bool empty() const { return finalizers_.empty(); }
   std::size_t size() const { return finalizers_.size(); }
   const std::filesystem::path& path() const { return path_; }

   /// The votes this node's finalizers cast on the proper Savanna block `b` (none when no policy
   /// of b names them or the rules allow none). The safety information is updated and the file
   /// written before this returns; if the write fails the votes are withheld (the error says
   /// why) and the in-memory information keeps the update, so no later vote conflicts with one
   /// the file might hold.
   result<std::vector<vote_message>> vote(const block_header_state& b);

   /// A configured finalizer's safety information (nullopt: unknown key or none yet).
   std::optional<finalizer_safety_information> safety_info(const bls::public_key& k) const;

private:
   struct finalizer {
      bls::private_key key;
      std::optional<finalizer_safety_information> fsi;
   };
   finalizer_set(std::filesystem::path path) : path_(std::move(path)) {}
   std::vector<safety_file_entry> entries() const;

   std::filesystem::path path_;
   std::map<bls::public_key, finalizer> finalizers_;
   /// Entries of the file for keys not configured here, written back unchanged.
   std::vector<safety_file_entry> inactive_;
};

} // namespace core
