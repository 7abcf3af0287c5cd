#pragma once
/// Spring's fc::ordered_diff<T, uint16_t>: the change from one ordered list to another as the
/// indexes to remove (from the source, ascending) and the (index, value) pairs to insert (into
/// the result, ascending). Finalizer and proposer policy diffs carry one.
#include "codec/result.hpp"

#include <cereal/cereal.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace core {

template <class T>
struct ordered_diff_result {
   std::vector<uint16_t> remove_indexes;
   std::vector<std::pair<uint16_t, T>> insert_indexes;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(remove_indexes), CEREAL_NVP(insert_indexes));
   }
   bool operator==(const ordered_diff_result&) const = default;
};

/// The diff fc::ordered_diff::diff computes (the same walk, so a diff built here is byte-equal
/// to Spring's). Precondition: both lists hold at most 65,536 entries.
template <class T>
ordered_diff_result<T> make_ordered_diff(const std::vector<T>& source, const std::vector<T>& target) {
   ordered_diff_result<T> out;
   std::size_t s = 0, t = 0;
   const std::size_t ns = source.size(), nt = target.size();
   auto remove = [&] { out.remove_indexes.push_back(static_cast<uint16_t>(s++)); };
   auto insert = [&] {
      out.insert_indexes.emplace_back(static_cast<uint16_t>(t), target[t]);
      ++t;
   };
   while (s < ns || t < nt) {
      if (s < ns && t < nt) {
         if (source[s] == target[t]) {
            ++s;
            ++t;
         } else if ((s == ns - 1 && t == nt - 1) || (s + 1 < ns && t + 1 < nt && source[s + 1] == target[t + 1])) {
            remove();
            insert();
         } else if (t + 1 < nt && source[s] == target[t + 1]) {
            insert();
         } else {
            remove();
         }
      } else if (s < ns) {
         remove();
      } else {
         insert();
      }
   }
   return out;
}

/// fc::ordered_diff::apply_diff: removes, then inserts. Error (one line, as fc's assertions say
/// it) when the indexes are not strictly ascending or out of range.
template <class T>
result<std::vector<T>> apply_ordered_diff(std::vector<T> container, const ordered_diff_result<T>& diff) {
   for (std::size_t i = 0; i < diff.remove_indexes.size(); ++i) {
      const std::size_t idx = diff.remove_indexes[i];
      if (i > 0 && idx <= diff.remove_indexes[i - 1])
         return unexpected{fmt::format("remove_indexes not strictly ascending: {} after {}", idx, diff.remove_indexes[i - 1])};
      // Strictly ascending from 0 up: idx >= i, and i entries are already gone.
      if (idx - i >= container.size())
         return unexpected{fmt::format("remove index {} out of range (list of {})", idx, container.size() + i)};
      container.erase(container.begin() + static_cast<std::ptrdiff_t>(idx - i));
   }
   for (std::size_t i = 0; i < diff.insert_indexes.size(); ++i) {
      const std::size_t idx = diff.insert_indexes[i].first;
      if (i > 0 && idx <= diff.insert_indexes[i - 1].first)
         return unexpected{
            fmt::format("insert_indexes not strictly ascending: {} after {}", idx, diff.insert_indexes[i - 1].first)};
      if (idx > container.size())
         return unexpected{fmt::format("insert index {} out of range (list of {})", idx, container.size())};
      container.insert(container.begin() + static_cast<std::ptrdiff_t>(idx), diff.insert_indexes[i].second);
   }
   return container;
}

} // namespace core
