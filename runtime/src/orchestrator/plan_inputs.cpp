#include "orchestrator/plan_inputs.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "secpilot/grounding/entities.hpp"
#include "secpilot/manifest/manifest.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;

bool wanted(const std::vector<std::string>& kinds, std::string_view type) {
  for (const auto& kind : kinds)
    if (kind == type || (kind == "hash" && (type == "md5" || type == "sha1" || type == "sha256")))
      return true;
  return false;
}

// The entity type a key names: "hostname" -> host, "detection_id" -> incident_id.
std::string key_kind(std::string_view key, std::string_view parent) {
  const std::string lower = to_lower_ascii(key);
  if (auto type = manifest::canonical_input_type(lower); manifest::is_entity_type(type))
    return type;
  const std::string context = to_lower_ascii(parent);
  const auto incident_like = [](std::string_view text) {
    return text.find("detection") != std::string_view::npos ||
           text.find("incident") != std::string_view::npos ||
           text.find("alert") != std::string_view::npos;
  };
  if ((lower == "id" && incident_like(context)) ||
      ((lower.ends_with("_id") || lower.ends_with("_ids")) && incident_like(lower)))
    return "incident_id";
  if (lower == "name" && (context.find("computer") != std::string::npos ||
                          context.find("endpoint") != std::string::npos))
    return "host";
  return {};
}

class Collector {
 public:
  explicit Collector(const std::vector<std::string>& kinds) : kinds_(kinds) {}

  void walk(const json::value& value, std::string_view key, std::string_view parent) {
    if (values_.size() >= 1000) return;
    switch (value.kind()) {
      case json::kind::object:
        for (const auto& member : value.as_object())
          walk(member.value(), member.key(), key.empty() ? parent : key);
        return;
      case json::kind::array:
        for (const auto& item : value.as_array())
          walk(item, key, parent);
        return;
      case json::kind::string: {
        const std::string_view text = value.as_string();
        if (const auto kind = key_kind(key, parent); !kind.empty() && wanted(kinds_, kind)) {
          add(std::string(text));
          return;
        }
        grounding::ExtractOptions options;
        options.scripts = false;
        options.max_entities = 50;
        for (const auto& entity : grounding::extract_entities(text, options))
          if (wanted(kinds_, entity.type)) add(entity.value);
        return;
      }
      case json::kind::int64:
      case json::kind::uint64:
        // Numbers are ids only ("id": 4127 of a detection); under "ipv4" or "url" they count.
        if (const auto kind = key_kind(key, parent); kind == "incident_id" && wanted(kinds_, kind))
          add(json::serialize(value));
        return;
      default:
        return;
    }
  }
  std::vector<std::string> take() { return std::move(values_); }

 private:
  void add(std::string value) {
    if (!value.empty() && std::find(values_.begin(), values_.end(), value) == values_.end())
      values_.push_back(std::move(value));
  }
  const std::vector<std::string>& kinds_;
  std::vector<std::string> values_;
};

}  // namespace

std::vector<std::string> output_entities(const json::value& output,
                                         const std::vector<std::string>& kinds) {
  Collector collector(kinds);
  collector.walk(output, {}, {});
  return collector.take();
}

Expected<std::vector<json::object>> step_calls(const planner::Plan& plan, std::size_t index,
                                               const std::vector<std::vector<json::value>>& outputs,
                                               const std::function<std::string()>& session_export,
                                               std::size_t max_calls) {
  const auto& step = plan.steps.at(index);
  json::object inputs = step.inputs;
  std::vector<std::string> fan_out = step.fan_out_values;
  for (const auto& binding : step.bindings) {
    if (binding.source == planner::Binding::Source::session) {
      inputs[binding.input] = session_export ? session_export() : std::string("{}");
      continue;
    }
    if (binding.from_step >= outputs.size())
      return make_error(Status::internal, "step " + std::to_string(index + 1) + " reads step " +
                                              std::to_string(binding.from_step + 1) +
                                              ", which has not run");
    std::vector<std::string> values;
    for (const auto& output : outputs[binding.from_step]) {
      if (binding.source == planner::Binding::Source::step_field) {
        // The first call's field: several producer calls (two Macs looked up) must not turn
        // into a change of the last one only.
        if (const auto* object = output.if_object())
          if (const auto* field = object->if_contains(binding.input)) {
            if (values.empty()) inputs[binding.input] = *field;
            values.push_back(field->is_string() ? std::string(field->as_string())
                                                : json::serialize(*field));
          }
        continue;
      }
      for (auto& value : output_entities(output, binding.kinds))
        if (std::find(values.begin(), values.end(), value) == values.end())
          values.push_back(std::move(value));
    }
    if (values.empty())
      return make_error(Status::not_found, plan.steps[binding.from_step].skill + " gave no " +
                                               binding.input + " for " + step.skill + " (step " +
                                               std::to_string(index + 1) + ")");
    if (binding.source == planner::Binding::Source::step_entities) {
      if (binding.input == step.fan_out_input)
        fan_out = std::move(values);
      else
        inputs[binding.input] = values.front();
    }
  }
  std::vector<json::object> calls;
  if (fan_out.empty() || step.fan_out_input.empty()) {
    calls.push_back(std::move(inputs));
    return calls;
  }
  for (const auto& value : fan_out) {
    if (calls.size() == max_calls) break;
    auto call = inputs;
    call[step.fan_out_input] = value;
    calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace secpilot::orchestrator
