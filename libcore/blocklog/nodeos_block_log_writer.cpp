#include "blocklog/nodeos_block_log_writer.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "codec/codec.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace core {

namespace {
constexpr const char* log_tmp_name = "blocks.log.tmp";
constexpr const char* index_tmp_name = "blocks.index.tmp";

std::string os_error(const std::filesystem::path& p, const char* op) {
   return fmt::format("{}: {}: {}", p.string(), op, std::strerror(errno));
}

/// Block number of a packed signed_block from its `previous` field (bytes 14..17, big-endian
/// block number - 1; PROTOCOL.md §14).
std::optional<uint32_t> packed_block_num(std::span<const uint8_t> b) {
   if (b.size() < 18)
      return std::nullopt;
   uint32_t prev = (uint32_t(b[14]) << 24) | (uint32_t(b[15]) << 16) | (uint32_t(b[16]) << 8) | uint32_t(b[17]);
   return prev + 1;
}
} // namespace

result<nodeos_block_log_writer> nodeos_block_log_writer::create(const std::filesystem::path& dir,
                                                                uint32_t first_block_num,
                                                                const genesis_or_chain_id& genesis) {
   if (first_block_num == 0)
      return unexpected{std::string("first block number is 0")};
   if (first_block_num == 1 && !std::holds_alternative<genesis_state>(genesis))
      return unexpected{std::string("a log starting at block 1 needs the genesis state, not only the chain id")};
   std::error_code ec;
   std::filesystem::create_directories(dir, ec);
   if (ec)
      return unexpected{fmt::format("{}: {}", dir.string(), ec.message())};
   if (std::filesystem::exists(dir / "blocks.log", ec))
      return unexpected{fmt::format("{}: already exists; refusing to overwrite", (dir / "blocks.log").string())};

   nodeos_block_log_writer w;
   w.dir_ = dir;
   w.next_num_ = first_block_num;
   w.log_ = std::fopen((dir / log_tmp_name).c_str(), "wb");
   if (!w.log_)
      return unexpected{os_error(dir / log_tmp_name, "create")};
   w.index_ = std::fopen((dir / index_tmp_name).c_str(), "wb");
   if (!w.index_)
      return unexpected{os_error(dir / index_tmp_name, "create")};

   std::vector<uint8_t> pre;
   byte_writer bw(pre);
   bw.write_int(version);
   bw.write_int(first_block_num);
   if (first_block_num == 1)
      pack_to(bw, std::get<genesis_state>(genesis));
   else if (const auto* g = std::get_if<genesis_state>(&genesis))
      pack_to(bw, g->compute_chain_id());
   else
      pack_to(bw, std::get<checksum256>(genesis));
   bw.write_int(nodeos_block_log::totem);
   if (auto r = w.write(w.log_, dir / log_tmp_name, pre); !r)
      return unexpected{r.error()};
   return w;
}

nodeos_block_log_writer::nodeos_block_log_writer(nodeos_block_log_writer&& o) noexcept
   : dir_(std::move(o.dir_)), log_(o.log_), index_(o.index_), log_pos_(o.log_pos_), next_num_(o.next_num_),
     committed_(o.committed_) {
   o.log_ = nullptr;
   o.index_ = nullptr;
   o.committed_ = true; // the moved-from writer owns no files
}

nodeos_block_log_writer::~nodeos_block_log_writer() {
   if (!committed_)
      discard();
}

void nodeos_block_log_writer::discard() {
   if (log_)
      std::fclose(log_);
   if (index_)
      std::fclose(index_);
   log_ = index_ = nullptr;
   std::error_code ec;
   std::filesystem::remove(dir_ / log_tmp_name, ec);
   std::filesystem::remove(dir_ / index_tmp_name, ec);
}

result<bool> nodeos_block_log_writer::write(std::FILE* f, const std::filesystem::path& p,
                                             std::span<const uint8_t> bytes) {
   if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
      return unexpected{os_error(p, "write")};
   if (f == log_)
      log_pos_ += bytes.size();
   return true;
}

result<bool> nodeos_block_log_writer::append(std::span<const uint8_t> packed_block) {
   if (!log_)
      return unexpected{std::string("writer already committed")};
   auto num = packed_block_num(packed_block);
   if (!num || *num != next_num_)
      return unexpected{fmt::format("block {} appended where block {} was expected", num.value_or(0), next_num_)};
   const uint64_t start = log_pos_;
   uint8_t pos[8];
   std::memcpy(pos, &start, 8);
   if (auto r = write(log_, dir_ / log_tmp_name, packed_block); !r)
      return r;
   if (auto r = write(log_, dir_ / log_tmp_name, pos); !r)
      return r;
   if (auto r = write(index_, dir_ / index_tmp_name, pos); !r)
      return r;
   ++next_num_;
   return true;
}

result<bool> nodeos_block_log_writer::commit() {
   if (!log_)
      return unexpected{std::string("writer already committed")};
   for (auto [f, name] : {std::pair{log_, log_tmp_name}, std::pair{index_, index_tmp_name}}) {
      if (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0)
         return unexpected{os_error(dir_ / name, "flush")};
   }
   std::fclose(log_);
   std::fclose(index_);
   log_ = index_ = nullptr;
   std::error_code ec;
   std::filesystem::rename(dir_ / index_tmp_name, dir_ / "blocks.index", ec);
   if (!ec)
      std::filesystem::rename(dir_ / log_tmp_name, dir_ / "blocks.log", ec);
   if (ec) {
      std::filesystem::remove(dir_ / "blocks.index", ec);
      discard();
      return unexpected{fmt::format("{}: rename: {}", dir_.string(), ec.message())};
   }
   committed_ = true;
   return true;
}

} // namespace core
