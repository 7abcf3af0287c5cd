#include "chain/recovery_pool.hpp"

#include "crypto/recover.hpp"

#include <algorithm>
#include <atomic>

namespace core {

namespace {
/// Smallest slice of a batch worth handing to another thread: one recovery costs ~50 µs, a
/// hand-off a few µs.
constexpr std::size_t min_chunk_requests = 8;
} // namespace

recovery_pool::recovery_pool(std::size_t threads) {
   if (threads == 0)
      threads = std::max(1u, std::thread::hardware_concurrency());
   workers_.reserve(threads);
   for (std::size_t i = 0; i < threads; ++i)
      workers_.emplace_back([this](std::stop_token st) { run(st); });
}

recovery_pool::~recovery_pool() {
   for (auto& w : workers_)
      w.request_stop();
   cv_.notify_all();
   workers_.clear(); // joins; workers drain the queue before leaving
}

void recovery_pool::enqueue(std::function<void()> job) {
   {
      std::lock_guard lk(mutex_);
      queue_.push_back(std::move(job));
   }
   cv_.notify_one();
}

void recovery_pool::run(std::stop_token st) {
   for (;;) {
      std::function<void()> job;
      {
         std::unique_lock lk(mutex_);
         cv_.wait(lk, st, [this] { return !queue_.empty(); });
         if (queue_.empty())
            return; // stop requested and nothing left to run
         job = std::move(queue_.front());
         queue_.pop_front();
      }
      job();
   }
}

std::vector<result<public_key>> recovery_pool::recover(std::span<const recovery_request> batch) {
   std::vector<result<public_key>> out(batch.size(), unexpected(std::string()));
   if (batch.empty())
      return out;

   const std::size_t parts = std::clamp<std::size_t>(batch.size() / min_chunk_requests, 1, size() + 1);
   const std::size_t chunk = (batch.size() + parts - 1) / parts;
   const std::size_t chunks = (batch.size() + chunk - 1) / chunk;

   struct shared_state {
      std::atomic<std::size_t> next{0};
      std::atomic<std::size_t> done{0};
   };
   auto state = std::make_shared<shared_state>();
   // Chunks write disjoint slots of `out`; the caller reads `out` only after every chunk is done,
   // so late helpers that find no chunk left never touch `out` or `batch` again.
   auto work = [state, batch, chunk, chunks, results = out.data()] {
      for (;;) {
         const std::size_t c = state->next.fetch_add(1, std::memory_order_relaxed);
         if (c >= chunks)
            return;
         const std::size_t end = std::min(batch.size(), (c + 1) * chunk);
         for (std::size_t i = c * chunk; i < end; ++i)
            results[i] = recover_key(*batch[i].sig, batch[i].digest);
         if (state->done.fetch_add(1, std::memory_order_acq_rel) + 1 == chunks)
            state->done.notify_all();
      }
   };
   for (std::size_t i = 1; i < chunks; ++i)
      enqueue(work);
   work();
   for (std::size_t d = state->done.load(std::memory_order_acquire); d < chunks;
        d = state->done.load(std::memory_order_acquire))
      state->done.wait(d, std::memory_order_acquire);
   return out;
}

} // namespace core
