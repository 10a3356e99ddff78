// Internals of registry_input.cc: placing the registry's rows of one kind after the CSV rows of the same kind,
// person by person, without sorting the whole table. Not for use outside src/measure.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <span>
#include <vector>

#include "measure/huge_pages.h"

namespace dfdg::measure::internal {

// Reserves room for `extra` more rows (at least doubling), the memory advised to use transparent huge pages:
// on a virtual machine, faulting in 4 KiB pages one at a time costs more than making the rows.
template <typename T>
void ReserveHuge(std::vector<T>* rows, size_t extra) {
  if (rows->capacity() - rows->size() >= extra) return;
  size_t n = std::max(rows->size() + extra, rows->capacity() * 2);
  rows->reserve(n);
  AdviseHugePages(rows->data(), n * sizeof(T));
}

// Stable insertion sort of a short slot (one person's rows) by `key`.
template <typename T, typename Key>
void SortSlot(T* first, T* last, Key key) {
  auto less = [&](const T& a, const T& b) { return key(a) < key(b); };
  if (std::is_sorted(first, last, less)) return;
  if (last - first > 32) {
    std::stable_sort(first, last, less);
    return;
  }
  for (T* i = first + 1; i < last; ++i) {
    T value = std::move(*i);
    T* j = i;
    for (; j > first && less(value, *(j - 1)); --j) *j = std::move(*(j - 1));
    *j = std::move(value);
  }
}

// Adds the registry's rows of one kind (`parts`: each batch's rows, batches in scan order) to `table` (the CSV
// rows, sorted by person and key by the first Finish()). The result equals a stable sort by (person, key) of
// [table..., the parts' rows...] — what Finish() would make of the rows appended — without sorting the table:
// each person's rows are contiguous in one part, so they are moved into per-person slots (or, when the table is
// empty and the parts come in person order, appended as they are), and a slot is sorted only when out of order.
template <typename T, typename Key>
void Place(std::vector<T>* table, const std::vector<std::span<T>>& parts, size_t persons, Key key) {
  size_t total = table->size();
  bool in_order = table->empty();
  uint32_t last = 0;
  for (std::span<T> rows : parts) {
    total += rows.size();
    if (in_order && !rows.empty()) {
      in_order = rows.front().person >= last;
      last = rows.back().person;
      for (size_t i = 1; in_order && i < rows.size(); ++i) in_order = rows[i].person >= rows[i - 1].person;
    }
  }
  std::vector<T> out;
  ReserveHuge(&out, total);
  if (in_order) {
    for (std::span<T> rows : parts) {
      out.insert(out.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
    }
  } else {
    std::vector<uint32_t> cursor(persons + 1, 0);
    for (const T& r : *table) ++cursor[r.person + 1];
    for (std::span<T> rows : parts) {
      for (const T& r : rows) ++cursor[r.person + 1];
    }
    std::partial_sum(cursor.begin(), cursor.end(), cursor.begin());
    out.resize(total);
    for (T& r : *table) out[cursor[r.person]++] = std::move(r);
    for (std::span<T> rows : parts) {
      for (T& r : rows) out[cursor[r.person]++] = std::move(r);
    }
  }
  for (size_t begin = 0; begin < out.size();) {
    size_t end = begin + 1;
    while (end < out.size() && out[end].person == out[begin].person) ++end;
    if (end - begin > 1) SortSlot(out.data() + begin, out.data() + end, key);
    begin = end;
  }
  table->swap(out);
}

}  // namespace dfdg::measure::internal
