// Transparent huge pages for the measurement's big vectors: on a virtual machine, faulting in 4 KiB pages one at
// a time cost more than converting the records (docs/measurement-performance.md).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace dfdg::measure {

// Advises the kernel to back the whole 2 MiB pages inside [data, data + bytes) with huge pages. Advice only:
// a refusal is ignored, and nothing changes in the memory's contents.
inline void AdviseHugePages(void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{1} << 21;
  char* base = static_cast<char*>(data);
  const size_t skip = (kHuge - reinterpret_cast<uintptr_t>(base) % kHuge) % kHuge;  // to the first whole page
  if (bytes <= skip) return;
  const size_t length = (bytes - skip) & ~(kHuge - 1);
  if (length > 0) ::madvise(base + skip, length, MADV_HUGEPAGE);
}

}  // namespace dfdg::measure
