#pragma once
/// A fixed pool of worker threads for CPU-bound chain work, chiefly public-key recovery of
/// transaction signatures (the per-block cost that dominates validation without WASM).
///
/// Thread affinity: submit() and recover() may be called from any thread, including a pool
/// worker. submit(f) runs f on one worker. recover() runs on the calling thread *and* the
/// workers: the caller takes chunks of the batch itself, so it completes even when every worker
/// is busy (no nested-wait deadlock). Destruction stops intake, runs the tasks already queued,
/// then joins; it must not be called from a worker.
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "crypto/signature.hpp"
#include "codec/result.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <type_traits>
#include <vector>

namespace core {

/// One signature to recover against its digest. `sig` must outlive the recover() call.
struct recovery_request {
   const signature* sig = nullptr;
   checksum256 digest;
};

class recovery_pool {
public:
   /// threads == 0: std::thread::hardware_concurrency() (at least 1).
   explicit recovery_pool(std::size_t threads = 0);
   ~recovery_pool();
   recovery_pool(const recovery_pool&) = delete;
   recovery_pool& operator=(const recovery_pool&) = delete;

   std::size_t size() const { return workers_.size(); }

   /// Queues f() on a worker. Exceptions thrown by f are delivered through the future.
   template <class F>
   auto submit(F&& f) -> std::future<std::invoke_result_t<std::decay_t<F>>> {
      using R = std::invoke_result_t<std::decay_t<F>>;
      auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
      auto fut = task->get_future();
      enqueue([task] { (*task)(); });
      return fut;
   }

   /// recover_key(sig, digest) for every request, in parallel; results in request order.
   std::vector<result<public_key>> recover(std::span<const recovery_request> batch);

private:
   void enqueue(std::function<void()> job);
   void run(std::stop_token st);

   std::mutex mutex_;
   std::condition_variable_any cv_;
   std::deque<std::function<void()>> queue_;
   std::vector<std::jthread> workers_; ///< last member: joined before the queue is destroyed
};

} // namespace core
