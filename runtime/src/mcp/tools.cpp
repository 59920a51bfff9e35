#include "mcp/tools.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/skills/input_schema.hpp"

namespace secpilot::mcp {
namespace json = boost::json;

namespace {

// MCP (2025-06-18 and 2025-11-25) takes only object schemas as outputSchema, and only objects as
// structuredContent: a skill whose result is anything else is served as text only.
bool object_schema(const json::value& schema) {
  const auto* object = schema.if_object();
  if (object == nullptr) return false;
  const auto* type = object->if_contains("type");
  return type != nullptr && *type == "object";
}

json::object annotations(const manifest::Skill& spec) {
  using manifest::SideEffects;
  // Stated both ways: the protocol's defaults (readOnlyHint false, destructiveHint true) would
  // otherwise call a skill that only writes destructive.
  json::object hints{{"readOnlyHint", spec.side_effects == SideEffects::None ||
                                          spec.side_effects == SideEffects::Read},
                     {"destructiveHint", spec.side_effects == SideEffects::Destructive}};
  if (!spec.display_name.empty()) hints["title"] = spec.display_name;
  return hints;
}

}  // namespace

json::object tool_definition(const skills::SkillEntry& entry) {
  const auto& spec = *entry.spec;
  json::object tool{{"name", entry.full_name}};
  if (!spec.display_name.empty()) tool["title"] = spec.display_name;
  // The text written for models, as the LLM planner offers it.
  tool["description"] =
      !spec.description_for_model.empty() ? spec.description_for_model : spec.description;
  tool["inputSchema"] = skills::input_schema(spec);
  if (spec.outputs && object_schema(*spec.outputs)) tool["outputSchema"] = *spec.outputs;
  tool["annotations"] = annotations(spec);
  return tool;
}

json::object call_result(std::string_view result_json) {
  json::error_code failed;
  json::value result = json::parse(result_json, failed);
  json::object answer;
  if (!failed && result.is_object()) {
    // Serialised again rather than copied: a plugin's own text may hold newlines, which the
    // line-framed stdio transport cannot carry.
    answer["content"] =
        json::array{json::object{{"type", "text"}, {"text", json::serialize(result)}}};
    answer["structuredContent"] = std::move(result);
  } else {
    answer["content"] = json::array{json::object{{"type", "text"}, {"text", result_json}}};
  }
  answer["isError"] = false;
  return answer;
}

json::object error_result(std::string_view message) {
  return {{"content", json::array{json::object{{"type", "text"}, {"text", message}}}},
          {"isError", true}};
}

}  // namespace secpilot::mcp
