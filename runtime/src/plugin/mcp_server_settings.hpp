// Which MCP server a `Format: MCP` group names and how to reach it (docs/mcp.md, "MCP servers as
// plugins"): Command (stdio, with Environment) or Endpoint (Streamable HTTP, with Headers and the
// plugin's egress allow-list), with the plugin's settings and secrets put in for {{Name}}, and
// TimeoutInSeconds.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/client.hpp"
#include "secpilot/manifest/manifest.hpp"
#include "secpilot/plugin/native_library.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::plugin {

struct McpServerSettings {
  mcp::ClientOptions client;
  std::optional<int> timeout_seconds;  // TimeoutInSeconds, when given: also the skills' timeout
};

// An error names `where` (the group) and says what to change.
Expected<McpServerSettings> mcp_server_settings(const manifest::Manifest& manifest,
                                                const manifest::SkillGroup& group,
                                                const PluginEnvironment& environment,
                                                const std::string& where);

// A group setting by name, any case; nullptr when absent.
const boost::json::value* group_setting(const manifest::SkillGroup& group, std::string_view name);
// A list setting written as a YAML list or as one text split at any of `separators`.
std::vector<std::string> list_setting(const boost::json::value* value, std::string_view separators);

}  // namespace secpilot::plugin
