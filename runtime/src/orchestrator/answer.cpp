#include "orchestrator/answer.hpp"

#include <boost/json/object.hpp>

#include "orchestrator/json_markdown.hpp"
#include "secpilot/util/iso_time.hpp"
#include "util/json_template.hpp"

namespace secpilot::orchestrator {

namespace json = boost::json;

namespace {

constexpr std::size_t kInputsText = 120;  // characters of a step's inputs in the sources

const json::value* field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && !value->is_null() && !value->is_object() && !value->is_array() ? value : nullptr;
}

// What a result says of itself: a verdict (with confidence or score), a severity, or how many
// things it found.
std::string self_summary(const json::value& output) {
  const auto* object = output.if_object();
  if (!object) return {};
  if (const auto* verdict = field(*object, "verdict")) {
    std::string text = "**" + markdown_inline(scalar_text(*verdict), 60) + "**";
    if (const auto* confidence = field(*object, "confidence"))
      text += " (confidence " + markdown_inline(scalar_text(*confidence), 20) + ")";
    else if (const auto* score = field(*object, "score"))
      text += " (score " + markdown_inline(scalar_text(*score), 20) + ")";
    return text;
  }
  if (const auto* severity = field(*object, "severity"))
    return "severity **" + markdown_inline(scalar_text(*severity), 40) + "**";
  for (const char* key : {"row_count", "count", "total_count", "total"})
    if (const auto* count = field(*object, key); count && count->is_number())
      return markdown_inline(scalar_text(*count), 20) + " " +
             (key == std::string_view("row_count") ? "rows" : "results");
  return {};
}

std::string inputs_text(const json::object& inputs) {
  std::string text;
  for (const auto& [key, value] : inputs) {
    if (!text.empty()) text += ", ";
    text += std::string(key) + "=" + scalar_text(value);
  }
  return markdown_inline(text, kInputsText);
}

const manifest::Skill* spec_of(const skills::Catalog& catalog, const std::string& skill) {
  const auto* entry = catalog.find(skill);
  return entry ? entry->spec : nullptr;
}

// A GPT skill's result is the model's Markdown: shown as written, not as a JSON document.
std::string details_markdown(const json::value& output, const skills::SkillEntry* entry) {
  if (entry && entry->format == manifest::Format::GPT && output.is_object())
    if (const auto* content = output.get_object().if_contains("content");
        content && content->is_string())
      return std::string(content->get_string()) + "\n";
  return json_to_markdown(output);
}

}  // namespace

std::string summarize_step(const store::Step& step, const manifest::Skill* spec) {
  if (step.state != store::StepState::completed || !step.output) return {};
  if (spec && !spec->summary.empty()) {
    const json::value inputs = step.inputs;
    return render_json_template(spec->summary, [&](std::string_view path) {
      std::optional<json::value> found;
      if (path.starts_with("inputs.")) found = json_at_path(inputs, path.substr(7));
      if (!found) found = json_at_path(*step.output, path);
      if (!found || found->is_object() || found->is_array()) return std::string("—");
      return markdown_inline(scalar_text(*found), 120);
    });
  }
  return self_summary(*step.output);
}

std::string compose_answer(const std::vector<store::Step>& steps, const skills::Catalog& catalog) {
  std::string markdown;
  // The verdicts first: what a reader wants before the details.
  for (const auto& step : steps) {
    const std::string name = markdown_inline(step.skill, 100);
    if (step.state == store::StepState::completed) {
      const std::string summary = summarize_step(step, spec_of(catalog, step.skill));
      if (!summary.empty()) markdown += "- **" + name + ":** " + summary + "\n";
    } else {
      markdown += "- **" + name + "** " + std::string(store::to_string(step.state)) + " (" +
                  std::string(status_name(step.error_status)) +
                  "): " + markdown_inline(step.error_message, 300) + "\n";
    }
  }
  if (!markdown.empty()) markdown += "\n";
  for (const auto& step : steps) {
    if (step.state != store::StepState::completed || !step.output) continue;
    markdown += "### " + markdown_inline(step.skill, 100) + "\n\n";
    markdown += details_markdown(*step.output, catalog.find(step.skill)) + "\n";
  }
  return markdown + sources_markdown(steps);
}

std::string sources_markdown(const std::vector<store::Step>& steps) {
  std::string markdown = "**Sources**\n\n";
  for (const auto& step : steps) {
    markdown += std::to_string(step.seq) + ". " + markdown_inline(step.skill, 100);
    if (!step.inputs.empty()) markdown += " (" + inputs_text(step.inputs) + ")";
    if (step.started_ms != 0) markdown += ", " + iso_time(step.started_ms);
    markdown += ", " + std::to_string(step.duration_ms) + " ms";
    if (step.state != store::StepState::completed)
      markdown += ", " + std::string(store::to_string(step.state));
    markdown += "\n";
  }
  return markdown;
}

}  // namespace secpilot::orchestrator
