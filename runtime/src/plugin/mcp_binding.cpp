#include "plugin/mcp_binding.hpp"

#include "plugin/mcp_clients.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "mcp/client.hpp"
#include "openapi/schema_inputs.hpp"
#include "plugin/mcp_server_settings.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::plugin {
namespace json = boost::json;

namespace {

// A tool name as a skill name: the characters a skill name may not hold become '_'.
std::string skill_name(std::string_view tool) {
  std::string name;
  for (char c : tool) {
    const bool bad = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '.' || c == '/' ||
                     c == '\\' || c == '?' || c == '#' || c == '@';
    name += bad ? '_' : c;
  }
  return name;
}

std::string text_of(const json::value* value) {
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The side effects an MCP server claims for a tool. MCP's defaults: not read-only, and then
// destructive unless it says otherwise.
manifest::SideEffects side_effects(const json::value* annotations) {
  const auto* hints = annotations ? annotations->if_object() : nullptr;
  auto hint = [&](std::string_view name) -> std::optional<bool> {
    const auto* value = hints ? hints->if_contains(name) : nullptr;
    if (value && value->is_bool()) return value->get_bool();
    return std::nullopt;
  };
  if (hint("readOnlyHint").value_or(false)) return manifest::SideEffects::Read;
  return hint("destructiveHint").value_or(true) ? manifest::SideEffects::Destructive
                                                : manifest::SideEffects::Write;
}

struct Generated {
  manifest::Skill skill;
  std::vector<std::pair<std::string, std::string>> inputs;  // input name -> argument name
};

Generated skill_from_tool(const json::object& tool, std::string name,
                          const manifest::SkillGroup& group, std::optional<int> timeout) {
  Generated out;
  manifest::Skill& skill = out.skill;
  skill.name = std::move(name);
  const auto* annotations = tool.if_contains("annotations");
  skill.display_name = text_of(tool.if_contains("title"));
  if (skill.display_name.empty() && annotations && annotations->is_object())
    skill.display_name = text_of(annotations->get_object().if_contains("title"));
  skill.description = text_of(tool.if_contains("description"));
  if (skill.description.empty()) skill.description = "The MCP tool " + skill.name + ".";
  skill.side_effects = side_effects(annotations);
  skill.timeout_seconds = timeout;
  skill.where = group.where;
  const auto* schema = tool.if_contains("inputSchema");
  const json::object* properties = nullptr;
  std::set<std::string> required;
  if (schema && schema->is_object()) {
    if (const auto* p = schema->get_object().if_contains("properties"); p && p->is_object())
      properties = &p->get_object();
    if (const auto* r = schema->get_object().if_contains("required"); r && r->is_array())
      for (const auto& item : r->get_array())
        if (item.is_string()) required.emplace(item.get_string());
  }
  std::set<std::string> taken;
  if (properties)
    for (const auto& [argument, property] : *properties) {
      std::string input = openapi::input_name(argument);
      while (!taken.insert(to_lower_ascii(input)).second)
        input += "_";
      skill.inputs.push_back(openapi::make_input(
          input, "", property, required.contains(std::string(argument)), group.where));
      out.inputs.emplace_back(std::move(input), std::string(argument));
    }
  if (const auto* output = tool.if_contains("outputSchema"); output && output->is_object())
    skill.outputs = *output;
  return out;
}

}  // namespace

McpToolSource::~McpToolSource() = default;

Expected<std::shared_ptr<McpToolSource>> McpToolSource::open(
    const manifest::Manifest& manifest, const manifest::SkillGroup& group,
    std::shared_ptr<const PluginEnvironment> environment, McpClients& clients) {
  const std::string where = manifest.descriptor.name + "'s MCP group";
  auto server = mcp_server_settings(manifest, group, *environment, where);
  if (!server) return server.error();
  const std::optional<int> timeout = server->timeout_seconds;

  std::shared_ptr<McpToolSource> source(new McpToolSource);
  source->environment_ = environment;
  source->client_ =
      clients.client(manifest.descriptor.name, std::move(server->client), environment->logger);
  // Starts the server, unless its tools are known from an earlier run (McpClients' cache).
  auto tools = source->client_->list_tools();
  if (!tools)
    return make_error(tools.error().status,
                      where + ": " + environment->redact(tools.error().message));

  const auto allowed = list_setting(group_setting(group, "AllowedTools"), ",");
  std::set<std::string> taken;
  for (const auto& value : *tools) {
    const auto* tool = value.if_object();
    const std::string name = tool ? text_of(tool->if_contains("name")) : std::string();
    if (name.empty()) continue;
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      continue;
    std::string skill = skill_name(name);
    if (!taken.insert(to_lower_ascii(skill)).second) {
      source->warnings_.push_back("MCP tool " + name + " is left out: another tool is also named " +
                                  skill + " as a skill");
      continue;
    }
    if (skill != name) source->warnings_.push_back("MCP tool " + name + " is the skill " + skill);
    auto generated = skill_from_tool(*tool, skill, group, timeout);
    // A Skills list in the group refines the tools of the same name (SideEffects, descriptions).
    for (const auto& written : group.skills)
      if (iequals_ascii(written.name, skill)) openapi::refine(generated.skill, written);
    source->skills_.push_back(std::move(generated.skill));
    source->tools_[&source->skills_.back()] = Tool{name, std::move(generated.inputs)};
  }
  for (const auto& name : allowed)
    if (std::none_of(source->tools_.begin(), source->tools_.end(),
                     [&](const auto& entry) { return entry.second.name == name; }))
      source->warnings_.push_back("AllowedTools names " + name +
                                  ", which the MCP server does not list");
  return source;
}

Expected<std::string> McpToolSource::call(
    const manifest::Skill& skill, std::string_view input,
    std::chrono::steady_clock::time_point deadline,
    const std::shared_ptr<const std::atomic<bool>>& cancelled) const {
  const auto found = tools_.find(&skill);
  if (found == tools_.end())
    return make_error(Status::internal, skill.name + " is not a tool of this MCP server");
  const Tool& tool = found->second;
  json::error_code failed;
  auto inputs = json::parse(input, failed);
  if (failed || !inputs.is_object())
    return make_error(Status::invalid_input, "the inputs must be a JSON object");
  json::object arguments;
  for (auto& member : inputs.as_object()) {
    // Not a structured binding: clang (the fuzz preset) cannot capture one in a lambda.
    const std::string_view name = member.key();
    auto mapped = std::find_if(tool.inputs.begin(), tool.inputs.end(),
                               [name](const auto& pair) { return pair.first == name; });
    arguments[mapped == tool.inputs.end() ? std::string(name) : mapped->second] =
        std::move(member.value());
  }
  auto result = client_->call_tool(tool.name, std::move(arguments), deadline, cancelled);
  if (!result)
    return make_error(result.error().status, environment_->redact(result.error().message));
  std::string text;
  bool other_content = false;
  if (const auto* content = result->if_contains("content"); content && content->is_array())
    for (const auto& block : content->get_array()) {
      const auto* object = block.if_object();
      if (object && text_of(object->if_contains("type")) == "text") {
        if (!text.empty()) text += "\n";
        text += text_of(object->if_contains("text"));
      } else {
        other_content = true;
      }
    }
  if (const auto* error = result->if_contains("isError");
      error && error->is_bool() && error->get_bool())
    return make_error(Status::upstream, "the MCP tool " + tool.name + " failed: " +
                                            (text.empty() ? std::string("(no message)") : text));
  if (const auto* structured = result->if_contains("structuredContent");
      structured && !structured->is_null())
    return json::serialize(*structured);
  json::object answer{{"text", text}};
  if (other_content) answer["content"] = result->at("content");
  return json::serialize(answer);
}

}  // namespace secpilot::plugin
