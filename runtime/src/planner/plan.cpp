#include "secpilot/planner/plan.hpp"

#include <cstdio>

#include <boost/json/serialize.hpp>

namespace secpilot::planner {
namespace {

namespace json = boost::json;

std::string_view source_name(Binding::Source source) {
  switch (source) {
    case Binding::Source::step_entities:
      return "stepEntities";
    case Binding::Source::step_field:
      return "stepField";
    case Binding::Source::session:
      return "session";
  }
  return "stepEntities";
}

std::optional<Binding::Source> parse_source(std::string_view name) {
  if (name == "stepEntities") return Binding::Source::step_entities;
  if (name == "stepField") return Binding::Source::step_field;
  if (name == "session") return Binding::Source::session;
  return std::nullopt;
}

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& value : values)
    out.emplace_back(value);
  return out;
}

std::vector<std::string> strings(const json::value* value) {
  std::vector<std::string> out;
  if (value && value->is_array())
    for (const auto& item : value->as_array())
      if (item.is_string()) out.emplace_back(item.as_string());
  return out;
}

std::string text_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// A whole, non-negative JSON number (a step index or a group); nullopt for -1, 0.5 or a string.
std::optional<std::size_t> index_of(const json::value& value) {
  boost::system::error_code error;
  const auto index = value.to_number<std::size_t>(error);
  if (error) return std::nullopt;
  return index;
}

std::string score_text(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", score);
  return buffer;
}

}  // namespace

json::object Plan::to_json() const {
  json::array step_list;
  for (const auto& step : steps) {
    json::object out{{"skill", step.skill}, {"inputs", step.inputs}, {"group", step.group}};
    if (!step.bindings.empty()) {
      json::array bindings;
      for (const auto& binding : step.bindings) {
        json::object b{{"input", binding.input}, {"source", source_name(binding.source)}};
        if (binding.source != Binding::Source::session) b["fromStep"] = binding.from_step;
        if (!binding.kinds.empty()) b["kinds"] = strings(binding.kinds);
        bindings.push_back(std::move(b));
      }
      out["bindings"] = std::move(bindings);
    }
    if (!step.fan_out_input.empty()) {
      out["fanOut"] = step.fan_out_input;
      if (!step.fan_out_values.empty()) out["fanOutValues"] = strings(step.fan_out_values);
    }
    if (!step.reason.empty()) out["reason"] = step.reason;
    step_list.push_back(std::move(out));
  }
  json::array candidate_list;
  for (const auto& candidate : candidates)
    candidate_list.push_back(json::object{{"skill", candidate.skill},
                                          {"score", candidate.score},
                                          {"chosen", candidate.chosen},
                                          {"clause", candidate.clause},
                                          {"why", candidate.why}});
  json::object out{{"steps", std::move(step_list)}, {"candidates", std::move(candidate_list)}};
  if (abstention)
    out["abstention"] =
        json::object{{"message", abstention->message}, {"near", strings(abstention->near)}};
  out["planningMs"] = planning_ms;
  return out;
}

std::optional<Plan> Plan::from_json(const json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const auto& object = value.as_object();
  const auto* step_list = object.if_contains("steps");
  if (!step_list || !step_list->is_array()) return std::nullopt;
  Plan plan;
  for (const auto& item : step_list->as_array()) {
    if (!item.is_object()) return std::nullopt;
    const auto& in = item.as_object();
    Step step;
    step.skill = text_of(in, "skill");
    if (step.skill.empty()) return std::nullopt;
    if (const auto* inputs = in.if_contains("inputs"); inputs && inputs->is_object())
      step.inputs = inputs->as_object();
    if (const auto* group = in.if_contains("group")) {
      const auto index = index_of(*group);
      if (!index) return std::nullopt;
      step.group = *index;
    }
    if (const auto* bindings = in.if_contains("bindings"); bindings && bindings->is_array())
      for (const auto& b : bindings->as_array()) {
        if (!b.is_object()) return std::nullopt;
        const auto source = parse_source(text_of(b.as_object(), "source"));
        if (!source) return std::nullopt;
        Binding binding{text_of(b.as_object(), "input"), *source, 0,
                        strings(b.as_object().if_contains("kinds"))};
        if (binding.source != Binding::Source::session) {
          const auto* from = b.as_object().if_contains("fromStep");
          const auto index = from ? index_of(*from) : std::nullopt;
          if (!index || *index >= plan.steps.size())
            return std::nullopt;  // a step can only read an earlier one
          binding.from_step = *index;
        }
        step.bindings.push_back(std::move(binding));
      }
    step.fan_out_input = text_of(in, "fanOut");
    step.fan_out_values = strings(in.if_contains("fanOutValues"));
    step.reason = text_of(in, "reason");
    plan.steps.push_back(std::move(step));
  }
  if (const auto* candidate_list = object.if_contains("candidates");
      candidate_list && candidate_list->is_array())
    for (const auto& item : candidate_list->as_array()) {
      if (!item.is_object()) return std::nullopt;
      const auto& in = item.as_object();
      Candidate candidate{text_of(in, "skill"), 0, false, text_of(in, "clause"),
                          text_of(in, "why")};
      if (const auto* score = in.if_contains("score"); score && score->is_number())
        candidate.score = score->to_number<double>();
      if (const auto* chosen = in.if_contains("chosen"); chosen && chosen->is_bool())
        candidate.chosen = chosen->as_bool();
      plan.candidates.push_back(std::move(candidate));
    }
  if (const auto* planning = object.if_contains("planningMs"); planning && planning->is_number())
    plan.planning_ms = planning->to_number<double>();
  if (const auto* abstention = object.if_contains("abstention");
      abstention && abstention->is_object())
    plan.abstention = Abstention{text_of(abstention->as_object(), "message"),
                                 strings(abstention->as_object().if_contains("near"))};
  return plan;
}

std::string explain(const Plan& plan) {
  std::string out;
  if (plan.abstention) out += "Abstained: " + plan.abstention->message + "\n";
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const auto& step = plan.steps[i];
    out += std::to_string(i + 1) + ". " + step.skill + " " + json::serialize(step.inputs);
    for (const auto& binding : step.bindings) {
      out += " " + binding.input + "<-";
      out += binding.source == Binding::Source::session
                 ? std::string("session")
                 : "step " + std::to_string(binding.from_step + 1);
    }
    if (!step.fan_out_input.empty()) out += " (one call per " + step.fan_out_input + ")";
    if (i > 0 && step.group == plan.steps[i - 1].group) out += " (alongside the step before)";
    if (!step.reason.empty()) out += " — " + step.reason;
    out += "\n";
  }
  if (!plan.candidates.empty()) out += "Candidates:\n";
  for (const auto& candidate : plan.candidates)
    out += std::string(candidate.chosen ? "  + " : "  - ") + candidate.skill + " " +
           score_text(candidate.score) + ": " + candidate.why + "\n";
  return out;
}

}  // namespace secpilot::planner
