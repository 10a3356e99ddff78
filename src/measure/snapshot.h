// The measurement input snapshot (`dfdg measure import`): the validated input of one CSV directory in fixed-width
// binary records, stamped with the hashes of the CSV files it was read from. Format: docs/measurement-snapshot.md.
//
// Contract: WriteSnapshot stores exactly what ReadInput returned (rows after Finish(), bad rows as problems);
// ReadSnapshot returns an InputData equal to the one written, so every table measured from it is byte-identical
// to the CSV path. ReadSnapshot refuses a snapshot whose stamps do not match the CSV files now in the input
// directory (stale) and one whose bytes do not check out (damaged); it never returns a partial model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "measure/input.h"

namespace dfdg::measure {

// The format version written and required. Bump it when the layout or the meaning of a CSV field changes.
constexpr uint32_t kSnapshotVersion = 1;

struct SnapshotTimes {
  double verify_seconds = 0;  // hashing the CSV inputs and comparing with the stamps
  double load_seconds = 0;    // reading, checking and converting the records
  uint64_t input_bytes = 0;   // bytes of CSV hashed
  uint64_t snapshot_bytes = 0;
};

// The stamp of one CSV file of the input directory: present or not, its size and its content hash.
struct InputStamp {
  std::string file;
  bool present = false;
  uint64_t size = 0;
  uint64_t hash = 0;
};
using InputStamps = std::vector<InputStamp>;

// Stamps every input file of `input_dir` (docs/measurement-input.md), hashing on `threads` threads. The import
// stamps the files BEFORE reading them, so a change made while reading only makes the snapshot stale.
// Errors: IOError.
Result<InputStamps> StampInputs(const std::string& input_dir, int threads);

// Writes `data` (ReadInput of the stamped directory, after Finish()) to `path`. Writes `path`.tmp and renames
// it: a failed write leaves no snapshot behind. Errors: IOError.
Status WriteSnapshot(const std::string& path, const InputStamps& stamps, const InputData& data);

// Reads a snapshot and checks it against the CSV files of `input_dir`. Errors: IOError (cannot read),
// Corruption (damaged or of another format version: a hash, size, order or value does not check out),
// Conflict (stale: an input file was added, removed or changed since the import). `times` may be null.
Result<InputData> ReadSnapshot(const std::string& path, const std::string& input_dir, int threads,
                               SnapshotTimes* times);

}  // namespace dfdg::measure
