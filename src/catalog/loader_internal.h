// Internal to src/catalog: the readers of loader_rules.cc, called by LoadModel (loader.cc) for their files. Each
// records its problems in the reader and fills `model`.
#pragma once

#include "catalog/model.h"
#include "catalog/yaml_reader_internal.h"

namespace dfdg::catalog {

// codelists.yaml: the code lists, each code with its validity.
void ReadCodeLists(YamlReader& r, const YAML::Node& root, Model* model);
// violations.yaml: the numbered violation codes with their Danish and English texts.
void ReadViolations(YamlReader& r, const YAML::Node& root, Model* model);
// registry_rules.yaml: channel rules, deregistration, interview types, what blocks personal attendance and
// contact, self-booking, how long the a-kasse's summons is shown (§ 89 stk. 4).
void ReadRegistryRules(YamlReader& r, const YAML::Node& root, Model* model);
// contact_course.yaml: the contact course's deadlines and rules.
void ReadContactCourse(YamlReader& r, const YAML::Node& root, Model* model);
// recipients.yaml: the outbox recipient kinds and the recipients of forwarded registrations (videregivelse).
void ReadRecipients(YamlReader& r, const YAML::Node& root, Model* model);

}  // namespace dfdg::catalog
