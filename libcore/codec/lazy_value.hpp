#pragma once
/// A copyable slot for an immutable value computed on first use (decoded contents that most
/// readers of a message never look at).
///
/// Thread-safe for const use: get_or_init may run on several threads at once; each may compute,
/// exactly one result is published (release/acquire), every caller gets that one, and the
/// losers' results are discarded. Once published a value never changes until the slot is
/// assigned or destroyed, which (like any non-const use) must not overlap other uses.
/// Copies share the published value (a reference-count increment, no copy of T); a copy taken
/// before publication computes its own.
#include <atomic>
#include <cstddef>
#include <utility>

namespace core {

template <class T>
class lazy_value {
public:
   lazy_value() = default;
   lazy_value(const lazy_value& o) noexcept : p_(retain(o.p_.load(std::memory_order_acquire))) {}
   lazy_value(lazy_value&& o) noexcept : p_(o.p_.exchange(nullptr, std::memory_order_acq_rel)) {}
   lazy_value& operator=(const lazy_value& o) noexcept {
      if (this != &o)
         release(p_.exchange(retain(o.p_.load(std::memory_order_acquire)), std::memory_order_acq_rel));
      return *this;
   }
   lazy_value& operator=(lazy_value&& o) noexcept {
      if (this != &o)
         release(p_.exchange(o.p_.exchange(nullptr, std::memory_order_acq_rel), std::memory_order_acq_rel));
      return *this;
   }
   ~lazy_value() { release(p_.load(std::memory_order_acquire)); }

   /// The published value, or nullptr.
   const T* get() const noexcept {
      node* n = p_.load(std::memory_order_acquire);
      return n ? &n->value : nullptr;
   }

   /// The published value; if there is none, publishes make() (a T) first.
   template <class F>
   const T& get_or_init(F&& make) const {
      if (node* n = p_.load(std::memory_order_acquire))
         return n->value;
      return publish(new node{std::forward<F>(make)()});
   }

   /// Publishes v unless a value is already there (then v is dropped); returns the published one.
   const T& set(T v) const { return get() ? *get() : publish(new node{std::move(v)}); }

   /// Drops the value (non-const use: no concurrent readers).
   void reset() noexcept { release(p_.exchange(nullptr, std::memory_order_acq_rel)); }

private:
   struct node {
      T value;
      std::atomic<std::size_t> refs{1};
   };

   const T& publish(node* fresh) const {
      node* expected = nullptr;
      if (p_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel, std::memory_order_acquire))
         return fresh->value;
      delete fresh; // another thread published first
      return expected->value;
   }
   static node* retain(node* n) noexcept {
      if (n)
         n->refs.fetch_add(1, std::memory_order_relaxed);
      return n;
   }
   static void release(node* n) noexcept {
      if (n && n->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
         delete n;
   }

   mutable std::atomic<node*> p_{nullptr};
};

} // namespace core
