#include "plugin/mcp_binding.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "mcp/client.hpp"
#include "openapi/schema_inputs.hpp"
#include "secpilot/util/ascii.hpp"
#include "util/json_template.hpp"

namespace secpilot::plugin {
namespace json = boost::json;

namespace {

constexpr std::chrono::seconds kDefaultTimeout{30};

// A group setting by name, any case.
const json::value* setting(const manifest::SkillGroup& group, std::string_view name) {
  for (const auto& [key, value] : group.settings)
    if (iequals_ascii(key, name)) return &value;
  return nullptr;
}

// A list setting written as a YAML list or as one comma- (or space-) separated text.
std::vector<std::string> list_setting(const json::value* value, std::string_view separators) {
  std::vector<std::string> items;
  if (value == nullptr) return items;
  if (const auto* list = value->if_array()) {
    for (const auto& item : *list)
      if (item.is_string() && !item.get_string().empty())
        items.emplace_back(trim_blanks(item.get_string()));
    return items;
  }
  if (!value->is_string()) return items;
  std::string_view text = value->get_string();
  while (!text.empty()) {
    const auto end = text.find_first_of(separators);
    const auto item = trim_blanks(text.substr(0, end));
    if (!item.empty()) items.emplace_back(item);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return items;
}

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
    std::shared_ptr<const PluginEnvironment> environment) {
  const std::string where = manifest.descriptor.name + "'s MCP group";
  if (setting(group, "Command") == nullptr)
    return make_error(Status::unsupported,
                      where +
                          " names an Endpoint: MCP servers over Streamable HTTP are not "
                          "connected yet; start the server over stdio with Command");
  mcp::ClientOptions options;
  options.command.argv = list_setting(setting(group, "Command"), " \t");
  if (options.command.argv.empty())
    return make_error(Status::invalid_input, where + " has an empty Command");
  // A program given by a relative path is the manifest folder's; a bare name is looked up on
  // PATH. The server runs in the manifest's folder.
  auto& program = options.command.argv.front();
  if (program.find('/') != std::string::npos && program.front() != '/')
    program = (manifest.directory() / program).lexically_normal().string();
  options.command.directory = manifest.directory();
  std::optional<int> timeout;
  if (const auto* seconds = setting(group, "TimeoutInSeconds"); seconds && seconds->is_number()) {
    timeout = static_cast<int>(seconds->to_number<double>());
    if (*timeout < 1) timeout = 1;
    options.timeout = std::chrono::seconds(*timeout);
  } else {
    options.timeout = kDefaultTimeout;
  }
  // Environment values may name the plugin's settings and secrets: {{ApiKey}}.
  if (const auto* variables = setting(group, "Environment"); variables && variables->is_object()) {
    for (const auto& [name, value] : variables->get_object()) {
      std::string missing;
      std::string text = render_json_template(
          value.is_string() ? std::string_view(value.get_string()) : std::string_view(),
          [&](std::string_view reference) {
            if (auto found = environment->setting(reference)) return *found;
            missing = std::string(reference);
            return std::string();
          });
      if (!missing.empty())
        return make_error(Status::invalid_input, where + ": Environment " + std::string(name) +
                                                     " refers to {{" + missing +
                                                     "}}, which the plugin's settings do not give");
      options.command.environment.emplace_back(std::string(name), std::move(text));
    }
  }

  std::shared_ptr<McpToolSource> source(new McpToolSource);
  source->client_ = std::make_unique<mcp::Client>(std::move(options), environment->logger);
  if (auto connected = source->client_->connect(); !connected)
    return make_error(connected.error().status,
                      where + ": " + environment->redact(connected.error().message));
  auto tools = source->client_->list_tools();
  if (!tools)
    return make_error(tools.error().status,
                      where + ": " + environment->redact(tools.error().message));

  const auto allowed = list_setting(setting(group, "AllowedTools"), ",");
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
  for (auto& [name, value] : inputs.as_object()) {
    auto mapped = std::find_if(tool.inputs.begin(), tool.inputs.end(),
                               [&](const auto& pair) { return pair.first == name; });
    arguments[mapped == tool.inputs.end() ? std::string(name) : mapped->second] = std::move(value);
  }
  auto result = client_->call_tool(tool.name, std::move(arguments), deadline, cancelled);
  if (!result) return result.error();
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
