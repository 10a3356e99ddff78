// Internals of registry_input.cc: placing the registry's rows of one kind after the CSV rows of the same kind,
// person by person, without sorting the whole table. Not for use outside src/measure.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <numeric>
#include <vector>

namespace dfdg::measure::internal {

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

// Adds the registry's rows of one kind (`member` of each chunk, chunks in scan order) to `table` (the CSV rows,
// sorted by person and key by the first Finish()). The result equals a stable sort by (person, key) of
// [table..., the chunks' rows...] — what Finish() would make of the rows appended — without sorting the
// table: each person's rows are contiguous in one chunk, so they are moved into per-person slots (or, when the
// table is empty and the chunks come in person order, appended as they are), and a slot is sorted only when
// out of order. The chunks' vectors are released as they are used.
template <typename Chunk, typename T, typename Key>
void Place(std::vector<T>* table, std::deque<Chunk>* chunks, std::vector<T> Chunk::*member, size_t persons, Key key) {
  size_t total = table->size();
  bool in_order = table->empty();
  uint32_t last = 0;
  for (Chunk& c : *chunks) {
    const std::vector<T>& rows = c.*member;
    total += rows.size();
    if (in_order && !rows.empty()) {
      in_order = rows.front().person >= last;
      last = rows.back().person;
      for (size_t i = 1; in_order && i < rows.size(); ++i) in_order = rows[i].person >= rows[i - 1].person;
    }
  }
  std::vector<T> out;
  if (in_order) {
    out.reserve(total);
    for (Chunk& c : *chunks) {
      std::vector<T>& rows = c.*member;
      out.insert(out.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
      std::vector<T>().swap(rows);
    }
  } else {
    std::vector<uint32_t> cursor(persons + 1, 0);
    for (const T& r : *table) ++cursor[r.person + 1];
    for (Chunk& c : *chunks) {
      for (const T& r : c.*member) ++cursor[r.person + 1];
    }
    std::partial_sum(cursor.begin(), cursor.end(), cursor.begin());
    out.resize(total);
    for (T& r : *table) out[cursor[r.person]++] = std::move(r);
    for (Chunk& c : *chunks) {
      std::vector<T>& rows = c.*member;
      for (T& r : rows) out[cursor[r.person]++] = std::move(r);
      std::vector<T>().swap(rows);
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
