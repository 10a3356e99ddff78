// Measurement input from the registry itself (`dfdg measure --db FILE`): absences, held interviews and
// sickness follow-ups, contact groups with visitation, the responsible municipality, and the a-kasse's dagpenge
// payments and placement dates (a_dagpenge benefits rows, dagpenge periods' first days; registry_records.h), for
// every person of the input's persons.csv.
//
// Contract: AddRegistryFacts loads each person's history from the store and adds, for the current version of
// every entity (corrections removed, everything known), rows to `data` on top of those read from the CSV
// files (REQUIRES: data->Finish() was called), leaving `data` as Finish() would after appending them: each kind
// sorted by person and date, a person's CSV rows before its registry rows on the same date. Mapping (docs/measurement-input.md, "From the registry"):
// interview type jobsamtale/job (id 7) -> jobsamtale, id 17 -> faelles_jobsamtale, foerste_henvendelse (or the
// first_contact flag) -> also a first contact; form personligt -> personligt, digitalt/video -> video,
// telefonisk -> telefon, other -> andet; channel akasse -> held by the a-kasse. Follow-ups -> sygeopfoelgning
// (standby follow-ups are not interviews: andet). Municipality facts (myndighedstilknytning) -> residence.
// dagpenge_payment -> a_dagpenge payment of its month (narrowed to the KG 1 days), ordinary dagpenge_placement ->
// dagpenge first day.
// Reading: a SQLite store (RegistryScans) is read in one pass in storage order (SqliteStore::ScanPersons), its fact
// lists decoded as views (store::DecodeFactRecords, JSON details not parsed) on `threads` worker threads into
// per-batch rows, which are then moved into per-person slots after the CSV rows (no sort of the whole table);
// any other store person by person (LoadPerson). Both give the same rows in the same order
// (tests/unit/measure_registry_scan_test.cc).
// Registry persons not in persons.csv are ignored.
// Errors: the store's Status, prefixed with the masked CPR.
#pragma once

#include "catalog/catalog.h"
#include "measure/input.h"
#include "store/store.h"

namespace dfdg::measure {

Status AddRegistryFacts(store::Store& store, const catalog::Catalog& catalog, InputData* data, int threads = 2);

// True when AddRegistryFacts reads `store` in one pass (SQLite), false when person by person.
bool RegistryScans(const store::Store& store);

}  // namespace dfdg::measure
