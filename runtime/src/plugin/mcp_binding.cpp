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

bool present(const json::value* value) {
  if (value == nullptr || value->is_null()) return false;
  if (const auto* text = value->if_string()) return !text->empty();
  if (const auto* list = value->if_array()) return !list->empty();
  return true;
}

// `text` with the plugin's settings and secrets in place of {{Name}}; an error naming `what`
// and the setting the plugin does not give.
Expected<std::string> with_settings(std::string_view text, const PluginEnvironment& environment,
                                    const std::string& what) {
  std::string missing;
  std::string rendered = render_json_template(text, [&](std::string_view reference) {
    if (auto found = environment.setting(reference)) return *found;
    if (missing.empty()) missing = std::string(reference);
    return std::string();
  });
  if (!missing.empty())
    return make_error(Status::invalid_input, what + " refers to {{" + missing +
                                                 "}}, which the plugin's settings do not give");
  return rendered;
}

// Environment or Headers: an object of names to texts that may name settings.
Expected<std::vector<std::pair<std::string, std::string>>> named_texts(
    const manifest::SkillGroup& group, std::string_view key, const PluginEnvironment& environment,
    const std::string& where) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto* object = setting(group, key);
  if (!present(object)) return out;
  if (!object->is_object())
    return make_error(Status::invalid_input,
                      where + ": " + std::string(key) + " must be a map of names to texts");
  for (const auto& [name, value] : object->get_object()) {
    auto text =
        with_settings(value.is_string() ? std::string_view(value.get_string()) : std::string_view(),
                      environment, where + ": " + std::string(key) + " " + std::string(name));
    if (!text) return text.error();
    out.emplace_back(std::string(name), std::move(*text));
  }
  return out;
}

// Command: the program and its arguments, started in the manifest's folder.
Expected<mcp::StdioCommand> stdio_command(const manifest::Manifest& manifest,
                                          const manifest::SkillGroup& group,
                                          const PluginEnvironment& environment,
                                          const std::string& where) {
  mcp::StdioCommand command;
  command.argv = list_setting(setting(group, "Command"), " \t");
  if (command.argv.empty())
    return make_error(Status::invalid_input, where + " has an empty Command");
  // A program given by a relative path is the manifest folder's; a bare name is looked up on
  // PATH. The server runs in the manifest's folder.
  auto& program = command.argv.front();
  if (program.find('/') != std::string::npos && program.front() != '/')
    program = (manifest.directory() / program).lexically_normal().string();
  command.directory = manifest.directory();
  // Environment values may name the plugin's settings and secrets: {{ApiKey}}.
  auto variables = named_texts(group, "Environment", environment, where);
  if (!variables) return variables.error();
  command.environment = std::move(*variables);
  return command;
}

// Endpoint: the server's URL, with Headers (credentials from settings) under the plugin's
// egress allow-list, through the host's HTTP client.
Expected<mcp::HttpEndpoint> http_endpoint(const manifest::SkillGroup& group,
                                          std::shared_ptr<const PluginEnvironment> environment,
                                          const std::string& where) {
  mcp::HttpEndpoint endpoint;
  const auto* url = setting(group, "Endpoint");
  if (!url->is_string())
    return make_error(Status::invalid_input, where + ": Endpoint must be a URL");
  auto rendered = with_settings(url->get_string(), *environment, where + ": Endpoint");
  if (!rendered) return rendered.error();
  endpoint.url = std::string(trim_blanks(*rendered));
  const std::string scheme = to_lower_ascii(endpoint.url.substr(0, endpoint.url.find("://")));
  if (endpoint.url.find("://") == std::string::npos || (scheme != "http" && scheme != "https"))
    return make_error(Status::invalid_input, where + ": Endpoint " +
                                                 environment->redact(endpoint.url) +
                                                 " is not an absolute http:// or https:// URL");
  auto headers = named_texts(group, "Headers", *environment, where);
  if (!headers) return headers.error();
  endpoint.headers = std::move(*headers);
  endpoint.egress = environment->egress;
  endpoint.http = environment->http;
  if (!endpoint.http)
    return make_error(Status::internal, where + ": the host has no HTTP client for the Endpoint");
  return endpoint;
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
  const bool over_stdio = present(setting(group, "Command"));
  if (over_stdio == present(setting(group, "Endpoint")))
    return make_error(Status::invalid_input,
                      where +
                          (over_stdio ? " names both Command and Endpoint: keep one"
                                      : " names neither Command nor Endpoint: add one") +
                          " (Command starts the server over stdio; Endpoint is its Streamable "
                          "HTTP URL)");
  mcp::ClientOptions options;
  if (over_stdio) {
    auto command = stdio_command(manifest, group, *environment, where);
    if (!command) return command.error();
    options.name = command->argv.front();
    options.server = std::move(*command);
  } else {
    auto endpoint = http_endpoint(group, environment, where);
    if (!endpoint) return endpoint.error();
    options.name = environment->redact(endpoint->url);
    options.server = std::move(*endpoint);
  }
  std::optional<int> timeout;
  if (const auto* seconds = setting(group, "TimeoutInSeconds"); seconds && seconds->is_number()) {
    timeout = static_cast<int>(seconds->to_number<double>());
    if (*timeout < 1) timeout = 1;
    options.timeout = std::chrono::seconds(*timeout);
  } else {
    options.timeout = kDefaultTimeout;
  }

  std::shared_ptr<McpToolSource> source(new McpToolSource);
  source->environment_ = environment;
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
