#include "plugin/mcp_server_settings.hpp"

#include "secpilot/util/ascii.hpp"

namespace secpilot::plugin {
namespace json = boost::json;

namespace {

constexpr std::chrono::seconds kDefaultTimeout{30};

bool present(const json::value* value) {
  if (value == nullptr || value->is_null()) return false;
  if (const auto* text = value->if_string()) return !text->empty();
  if (const auto* list = value->if_array()) return !list->empty();
  return true;
}

// `text` with the plugin's settings and secrets in place of {{Name}}; an error saying which of
// the group's settings (`what`) needs the missing one. A group that cannot be served is a
// configuration error, whatever the call-time status would be.
Expected<std::string> with_settings(std::string_view text, const PluginEnvironment& environment,
                                    const std::string& what) {
  auto rendered = environment.with_settings(text);
  if (!rendered)
    return make_error(Status::invalid_input,
                      what + " refers to a setting without a value: " + rendered.error().message);
  return rendered;
}

// Environment or Headers: an object of names to texts that may name settings.
Expected<std::vector<std::pair<std::string, std::string>>> named_texts(
    const manifest::SkillGroup& group, std::string_view key, const PluginEnvironment& environment,
    const std::string& where) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto* object = group_setting(group, key);
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
  command.argv = list_setting(group_setting(group, "Command"), " \t");
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
                                          const PluginEnvironment& environment,
                                          const std::string& where) {
  mcp::HttpEndpoint endpoint;
  const auto* url = group_setting(group, "Endpoint");
  if (!url->is_string())
    return make_error(Status::invalid_input, where + ": Endpoint must be a URL");
  auto rendered = with_settings(url->get_string(), environment, where + ": Endpoint");
  if (!rendered) return rendered.error();
  endpoint.url = std::string(trim_blanks(*rendered));
  const std::string scheme = to_lower_ascii(endpoint.url.substr(0, endpoint.url.find("://")));
  if (endpoint.url.find("://") == std::string::npos || (scheme != "http" && scheme != "https"))
    return make_error(Status::invalid_input, where + ": Endpoint " +
                                                 environment.redact(endpoint.url) +
                                                 " is not an absolute http:// or https:// URL");
  auto headers = named_texts(group, "Headers", environment, where);
  if (!headers) return headers.error();
  endpoint.headers = std::move(*headers);
  endpoint.egress = environment.egress;
  endpoint.http = environment.http;
  if (!endpoint.http)
    return make_error(Status::internal, where + ": the host has no HTTP client for the Endpoint");
  return endpoint;
}

}  // namespace

const json::value* group_setting(const manifest::SkillGroup& group, std::string_view name) {
  for (const auto& [key, value] : group.settings)
    if (iequals_ascii(key, name)) return &value;
  return nullptr;
}

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

Expected<McpServerSettings> mcp_server_settings(const manifest::Manifest& manifest,
                                                const manifest::SkillGroup& group,
                                                const PluginEnvironment& environment,
                                                const std::string& where) {
  const bool over_stdio = present(group_setting(group, "Command"));
  if (over_stdio == present(group_setting(group, "Endpoint")))
    return make_error(Status::invalid_input,
                      where +
                          (over_stdio ? " names both Command and Endpoint: keep one"
                                      : " names neither Command nor Endpoint: add one") +
                          " (Command starts the server over stdio; Endpoint is its Streamable "
                          "HTTP URL)");
  mcp::ClientOptions options;
  if (over_stdio) {
    auto command = stdio_command(manifest, group, environment, where);
    if (!command) return command.error();
    options.name = command->argv.front();
    options.server = std::move(*command);
  } else {
    auto endpoint = http_endpoint(group, environment, where);
    if (!endpoint) return endpoint.error();
    options.name = environment.redact(endpoint->url);
    options.server = std::move(*endpoint);
  }
  std::optional<int> timeout;
  if (const auto* seconds = group_setting(group, "TimeoutInSeconds");
      seconds && seconds->is_number()) {
    timeout = static_cast<int>(seconds->to_number<double>());
    if (*timeout < 1) timeout = 1;
    options.timeout = std::chrono::seconds(*timeout);
  } else {
    options.timeout = kDefaultTimeout;
  }

  return McpServerSettings{std::move(options), timeout};
}

}  // namespace secpilot::plugin
