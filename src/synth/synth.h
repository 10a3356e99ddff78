// Synthetic inputs for the measurement (docs/measurement-input.md): a deterministic population for demos,
// tests and benchmarks. Not real people: CPR numbers have a real date part and a matching century digit,
// nothing else.
//
// Contract: the same options (persons, years, seed, end) and municipality list give byte-identical files on
// every platform (the generator is std::mt19937_64 with our own integer draws; no std distributions). The
// mix: a-dagpenge, sygedagpenge, kontanthjælp (rates from 2025-07-01), uddannelseshjælp, overgangsydelse,
// revalidering/forrevalidering, ressourceforløb, jobafklaring, ledighedsydelse and a little "andet"; spells of
// 1 to about 60 months, gaps between them, absences (incl. barsel and the sygedagpenge 13-week marker),
// interviews in every form, active offers, first contacts and moves between the municipalities given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "core/date.h"
#include "core/status.h"

namespace dfdg::synth {

struct SynthOptions {
  size_t persons = 1000;
  int years = 6;
  uint64_t seed = 1;
  Date end;  // last day of the generated history; REQUIRES: set by the caller
  // When not empty: also write the registry part of the same population (residence, contact groups with
  // visitation, absences, interviews, sickness follow-ups, first contacts) as registry commands (JSON Lines,
  // docs/commands.md) to this file, each person's in registration order, for `dfdg apply` (bulk) and
  // `dfdg measure --db`. Does not change the CSV files. Mapping: docs/measurement-input.md "Synthetic
  // registry commands".
  std::string commands;
};

struct SynthStats {
  size_t persons = 0;
  size_t rows = 0;
  size_t commands = 0;  // commands written (0 without SynthOptions::commands)
};

// Writes persons.csv, benefits.csv, dagpenge_periods.csv, contact_groups.csv, absences.csv, interviews.csv,
// offers.csv, residence.csv and first_contacts.csv into `dir` (created if needed).
// Errors: InvalidArgument (no municipalities, years < 1), IOError naming the file.
Result<SynthStats> WriteSynthetic(const std::string& dir, const SynthOptions& options,
                                  const std::vector<catalog::Municipality>& municipalities);

}  // namespace dfdg::synth
