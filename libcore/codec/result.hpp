#pragma once
/// A minimal std::expected stand-in (C++20): a value or an error, never both.
#include <string>
#include <utility>
#include <variant>

namespace core {

template <class E>
struct unexpected {
   /// A constructor rather than an aggregate, so `unexpected(e)` also compiles without C++20
   /// parenthesized aggregate initialisation (clang < 16).
   unexpected(E e) : error(std::move(e)) {}
   E error;
};
template <class E>
unexpected(E) -> unexpected<E>;

template <class T, class E = std::string>
class result {
public:
   result(T v) : v_(std::in_place_index<0>, std::move(v)) {}
   template <class G>
   result(unexpected<G> e) : v_(std::in_place_index<1>, E(std::move(e.error))) {}

   bool has_value() const { return v_.index() == 0; }
   explicit operator bool() const { return has_value(); }

   T& value() & { return std::get<0>(v_); }
   const T& value() const& { return std::get<0>(v_); }
   T&& value() && { return std::get<0>(std::move(v_)); }
   T& operator*() & { return value(); }
   const T& operator*() const& { return value(); }
   T* operator->() { return &value(); }
   const T* operator->() const { return &value(); }

   const E& error() const { return std::get<1>(v_); }

private:
   std::variant<T, E> v_;
};

} // namespace core
