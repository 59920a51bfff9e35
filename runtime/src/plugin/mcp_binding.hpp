// A manifest's `Format: MCP` group: an MCP server whose tools become the group's skills
// (docs/mcp.md, "MCP servers as plugins"). The server is started (Command, stdio) or reached
// (Endpoint, Streamable HTTP) with the plugin host, asked for its tools once, and called for each
// skill call; a server that exits or cannot be reached is tried again on a later call
// (mcp::Client). The generated skills live here, so that catalog entries can point to
// them as they point into a manifest.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "secpilot/manifest/manifest.hpp"
#include "secpilot/plugin/native_library.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::mcp {
class Client;
}

namespace secpilot::plugin {

class McpClients;

class McpToolSource {
 public:
  // Reads the group's Settings (Command and Environment, or Endpoint and Headers; AllowedTools,
  // TimeoutInSeconds), starts or reaches the server — or takes over the one `clients` runs for
  // the same settings — and makes a skill of each allowed tool it lists. An error when the group
  // cannot be served.
  static Expected<std::shared_ptr<McpToolSource>> open(
      const manifest::Manifest& manifest, const manifest::SkillGroup& group,
      std::shared_ptr<const PluginEnvironment> environment, McpClients& clients);
  ~McpToolSource();

  const std::deque<manifest::Skill>& skills() const noexcept { return skills_; }
  // Things worth a look (a listed tool that is not allowed, a renamed tool, ...).
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

  // Calls the tool behind `skill` (one of skills()) with the skill's inputs, a JSON object.
  // The tool's structuredContent, else {"text": ...} with its text; an isError result is an
  // upstream error carrying the tool's text.
  Expected<std::string> call(const manifest::Skill& skill, std::string_view input,
                             std::chrono::steady_clock::time_point deadline,
                             const std::shared_ptr<const std::atomic<bool>>& cancelled) const;

 private:
  struct Tool {
    std::string name;                                         // as the server spells it
    std::vector<std::pair<std::string, std::string>> inputs;  // input name -> argument name
  };
  McpToolSource() = default;

  std::shared_ptr<const PluginEnvironment> environment_;  // to redact secrets from errors
  std::shared_ptr<mcp::Client> client_;  // shared with later hosts' sources of the same server
  std::deque<manifest::Skill> skills_;
  std::map<const manifest::Skill*, Tool> tools_;
  std::vector<std::string> warnings_;
};

}  // namespace secpilot::plugin
