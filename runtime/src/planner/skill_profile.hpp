// What the local planner knows of a skill beyond its retrieval text: the actions it names, the
// platforms it is limited to, and what its inputs take and its output yields. Computed once per
// catalog, with the planner.
#pragma once

#include <string>
#include <vector>

#include "secpilot/grounding/skill_index.hpp"

namespace secpilot::planner {

struct InputProfile {
  const manifest::Input* spec = nullptr;
  std::vector<std::string> kinds;  // accepted_kinds(): entity types, text, json, timespan, ...
  bool number = false;             // integer or number
};

struct SkillProfile {
  const grounding::IndexedSkill* indexed = nullptr;
  std::vector<std::string> actions;    // lower-case verbs: its name's first word, its example
                                       // prompts' and display name's first words
  std::vector<std::string> platforms;  // from its and its plugin's descriptions ("macos")
  std::vector<InputProfile> inputs;
  std::vector<std::string> output_kinds;   // Outputs.Entities
  std::vector<std::string> output_fields;  // top-level properties of its Outputs schema
  bool changes_things = false;             // SideEffects write or destructive
  std::string description_lower;  // its and its plugin's descriptions, lower-case (product names)

  const skills::SkillEntry& entry() const { return *indexed->entry; }
  const std::string& name() const { return indexed->entry->full_name; }
  bool names_action(std::string_view verb) const;
  bool yields(std::string_view kind) const;
};

std::vector<SkillProfile> profile_skills(const grounding::SkillIndex& index);

}  // namespace secpilot::planner
