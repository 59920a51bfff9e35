// Links each KQL skill of a catalog to the skill that runs its queries: the one the config's
// query_backends names for its Target, else one whose manifest declares QueryBackend: [Target].
// A KQL skill with no backend gets an unavailable reason saying how to provide one.
#pragma once

#include "secpilot/config/settings.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::plugin {

// A skill's setting by name (case-insensitive): the skill's own Settings win over its group's,
// as the linter reads them. nullptr when neither has it.
const boost::json::value* skill_setting(const manifest::SkillGroup& group,
                                        const manifest::Skill& skill, std::string_view key);

// For Format: KQL entries: sets query_template and query_target from the skill's (else its
// group's) Settings; an unavailable reason when they are missing or the template is remote.
void read_kql_settings(const manifest::SkillGroup& group, skills::SkillEntry& entry);

// Once every skill is in the catalog.
void link_query_backends(skills::Catalog& catalog, const config::Settings& settings);

}  // namespace secpilot::plugin
