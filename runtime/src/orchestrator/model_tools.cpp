#include "orchestrator/model_tools.hpp"

#include <boost/json/array.hpp>

#include "orchestrator/approval_gate.hpp"
#include "secpilot/grounding/entities.hpp"
#include "secpilot/skills/input_schema.hpp"

namespace secpilot::orchestrator {
namespace {

constexpr std::size_t kFollowUpWords = 8;  // prompts this short may lean on the one before

std::size_t word_count(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace

ModelIndex::ModelIndex(std::shared_ptr<const plugin::PluginHost> from)
    : host(std::move(from)), index(grounding::SkillIndex::build(host->catalog())) {}

std::vector<OfferedTool> offer_tools(const grounding::SkillIndex& index, std::string_view prompt,
                                     std::span<const std::string> history,
                                     const std::function<bool(const skills::SkillEntry&)>& enabled,
                                     std::size_t limit) {
  std::string text(prompt);
  if (!history.empty() && word_count(prompt) <= kFollowUpWords) text = history.back() + "\n" + text;
  const auto entities = grounding::extract_entities(text);
  grounding::SearchOptions options;
  options.top_k = limit;
  options.filter = enabled;
  options.entities = entities;
  std::vector<OfferedTool> offered;
  for (const auto& match : index.search(text, options))
    offered.push_back({match.skill->entry, match.score, grounding::explain(match)});
  return offered;
}

model::ToolSpec tool_spec(const skills::SkillEntry& entry) {
  const auto& spec = *entry.spec;
  std::string description =
      !spec.description_for_model.empty() ? spec.description_for_model : spec.description;
  if (needs_approval(entry))
    description +=
        " (This skill changes things: each call waits for a person's approval before it runs.)";
  return {entry.full_name, std::move(description), skills::input_schema(spec)};
}

boost::json::object model_plan_event(const std::vector<OfferedTool>& offered) {
  boost::json::array tools;
  std::string names;
  for (const auto& tool : offered) {
    tools.push_back({{"skill", tool.entry->full_name}, {"score", tool.score}, {"why", tool.why}});
    names += (names.empty() ? "" : ", ") + tool.entry->full_name;
  }
  std::string explanation =
      offered.empty()
          ? "The model answers: no enabled skill matched the prompt, so none is offered to it."
          : "The model chooses what to call among the " + std::to_string(offered.size()) +
                " skill(s) retrieval found for the prompt: " + names + ".";
  return {{"planner", "model"}, {"tools", std::move(tools)}, {"explanation", explanation}};
}

}  // namespace secpilot::orchestrator
