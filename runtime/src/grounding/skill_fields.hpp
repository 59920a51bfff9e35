// Which text of a skill feeds which retrieval field, and how much each field counts (BM25F).
#pragma once

#include <array>
#include <string_view>

#include "secpilot/grounding/skill_index.hpp"
#include "secpilot/manifest/manifest.hpp"

namespace secpilot::grounding {

// BM25F: a term's frequency in each field is length-normalised with the field's own b, scaled by
// the field's weight, and the sum saturates once (k1), so a term repeated across the name, the
// description and the examples counts more than a term said once, but not three times more.
struct FieldParameters {
  float weight = 1;
  float b = 0.75f;  // how much a longer-than-average field is discounted
};

// Higher than the usual 1.2: BM25F sums the weighted frequencies of all fields before saturating,
// and with 1.2 a term in a skill's name, description and examples scored barely more than a rare
// word said once in passing in a long description (top-1 on the labelled prompts when it was
// chosen: 90% with 1.2, 96% with 3 and with 5; 3 is the smaller change).
inline constexpr float kK1 = 3.0f;

// Why these weights:
// - the skill's name and display name are short and written to say what it does: highest, and
//   little length normalisation (b 0.3) since they hardly vary;
// - example prompts are written like the prompts we rank against: nearly as high;
// - the plugin's name routes "... in Red Canary" or "Jamf ..." to that plugin's skills;
// - Description is the summary for people; DescriptionForModel is longer and mentions other
//   skills and formats in passing, so it counts less;
// - inputs are mostly about formats and defaults ("Optional. An ISO 8601 date ..."): low;
// - the plugin's descriptions are shared by all its skills and mention each of them: lowest,
//   just enough to break ties towards the right plugin.
inline constexpr std::array<FieldParameters, kFieldCount> kFieldParameters = {{
    {3.0f, 0.3f},   // name
    {2.5f, 0.3f},   // display_name
    {1.5f, 0.75f},  // description
    {0.7f, 0.75f},  // description_for_model
    {2.0f, 0.75f},  // example_prompts
    {0.5f, 0.75f},  // inputs
    {2.0f, 0.3f},   // plugin_name
    {0.3f, 0.75f},  // plugin_description
}};

// Calls visit(Field, std::string_view) for each text of the skill itself.
template <class Visit>
void visit_skill_texts(const manifest::Skill& skill, Visit&& visit) {
  visit(Field::name, skill.name);
  for (const auto& alias : skill.aliases)
    visit(Field::name, alias);
  visit(Field::display_name, skill.display_name);
  visit(Field::description, skill.description);
  visit(Field::description_for_model, skill.description_for_model);
  for (const auto& prompt : skill.example_prompts)
    visit(Field::example_prompts, prompt);
  for (const auto& input : skill.inputs) {
    visit(Field::inputs, input.name);
    visit(Field::inputs, input.description);
  }
}

// Calls visit(Field, std::string_view) for each text of the plugin, shared by its skills.
template <class Visit>
void visit_plugin_texts(const manifest::Descriptor& descriptor, Visit&& visit) {
  visit(Field::plugin_name, descriptor.name);
  visit(Field::plugin_name, descriptor.display_name);
  visit(Field::plugin_description, descriptor.description);
  visit(Field::plugin_description, descriptor.description_for_model);
}

}  // namespace secpilot::grounding
