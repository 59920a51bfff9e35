#include "planner/skill_profile.hpp"

#include <algorithm>

#include "planner/input_values.hpp"
#include "planner/lexicon.hpp"
#include "planner/text.hpp"

namespace secpilot::planner {
namespace {

void add_once(std::vector<std::string>& list, std::string value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end())
    list.push_back(std::move(value));
}

std::string first_word(std::string_view sentence) {
  sentence = text::trim(sentence);
  std::size_t end = 0;
  while (end < sentence.size() && text::is_word_char(sentence[end]))
    ++end;
  return to_lower_ascii(sentence.substr(0, end));
}

// "UpdateDetectionState" -> "update".
std::string name_verb(std::string_view name) {
  std::size_t end = 1;
  while (end < name.size() && !(name[end] >= 'A' && name[end] <= 'Z'))
    ++end;
  return to_lower_ascii(name.substr(0, std::min(end, name.size())));
}

void add_platforms(std::vector<std::string>& out, std::string_view description) {
  const std::string lower = to_lower_ascii(description);
  std::size_t i = 0;
  while (i < lower.size()) {
    while (i < lower.size() && !text::is_word_char(lower[i]))
      ++i;
    const std::size_t begin = i;
    while (i < lower.size() && text::is_word_char(lower[i]))
      ++i;
    if (auto family = lexicon::platform(std::string_view(lower).substr(begin, i - begin));
        !family.empty())
      add_once(out, std::string(family));
  }
}

}  // namespace

bool SkillProfile::names_action(std::string_view verb) const {
  return std::find(actions.begin(), actions.end(), verb) != actions.end();
}

bool SkillProfile::yields(std::string_view kind) const {
  for (const auto& out : output_kinds)
    if (out == kind || (out == "hash" && (kind == "md5" || kind == "sha1" || kind == "sha256")) ||
        (kind == "hash" && (out == "md5" || out == "sha1" || out == "sha256")))
      return true;
  return false;
}

std::vector<SkillProfile> profile_skills(const grounding::SkillIndex& index) {
  std::vector<SkillProfile> profiles;
  for (const auto& indexed : index.skills()) {
    SkillProfile profile;
    profile.indexed = &indexed;
    const auto& spec = *indexed.entry->spec;
    add_once(profile.actions, name_verb(spec.name));
    add_once(profile.actions, first_word(spec.display_name));
    for (const auto& prompt : spec.example_prompts)
      add_once(profile.actions, first_word(prompt));
    add_platforms(profile.platforms, spec.description);
    add_platforms(profile.platforms, spec.description_for_model);
    add_platforms(profile.platforms, indexed.entry->manifest->descriptor.description);
    for (const auto& input : spec.inputs)
      profile.inputs.push_back(
          {&input, accepted_kinds(input), input.type == "integer" || input.type == "number"});
    profile.output_kinds = spec.output_entities;
    if (spec.outputs && spec.outputs->is_object())
      if (const auto* properties = spec.outputs->as_object().if_contains("properties");
          properties && properties->is_object())
        for (const auto& member : properties->as_object())
          profile.output_fields.emplace_back(member.key());
    profile.description_lower =
        to_lower_ascii(spec.description + " " + spec.description_for_model + " " +
                       indexed.entry->manifest->descriptor.description);
    profile.changes_things = spec.side_effects == manifest::SideEffects::Write ||
                             spec.side_effects == manifest::SideEffects::Destructive;
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

}  // namespace secpilot::planner
