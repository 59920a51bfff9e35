// What the Format: MCP plugin tests share: a plugin folder whose manifest has one MCP group, the
// host's options over it, and a skill call through the executor.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::plugin::mcp_test {

inline const std::string kPeer =
    std::string(SECPILOT_SOURCE_DIR) + "/tests/mcp/peers/sdk-server.mjs";

// A folder with the manifest of the plugin `name` (a secret setting PeerApiKey) whose MCP group
// has `settings`: YAML lines indented by six spaces.
inline std::filesystem::path mcp_plugin(const secpilot::testing::TempDir& temp,
                                        const std::string& settings,
                                        const std::string& name = "SdkPeer") {
  const auto folder = temp.path() / name;
  std::filesystem::create_directories(folder);
  std::filesystem::permissions(
      folder, std::filesystem::perms::group_write | std::filesystem::perms::others_write,
      std::filesystem::perm_options::remove);
  secpilot::testing::write_file(folder / "peer.yaml",
                                "Descriptor:\n"
                                "  Name: " +
                                    name +
                                    "\n"
                                    "  Description: An MCP server hosted as a plugin.\n"
                                    "  Settings:\n"
                                    "    - Name: PeerApiKey\n"
                                    "      Type: secretString\n"
                                    "      Required: false\n"
                                    "SkillGroups:\n"
                                    "  - Format: MCP\n"
                                    "    Settings:\n" +
                                    settings);
  return folder;
}

inline HostOptions options_for(const std::filesystem::path& folder) {
  HostOptions options;
  options.plugin_dirs = {folder};
  return options;
}

inline Expected<std::string> invoke(const PluginHost& host, std::string_view skill,
                                    std::string_view input) {
  const auto* entry = host.catalog().find(skill);
  if (entry == nullptr) return make_error(Status::not_found, "no skill " + std::string(skill));
  return skills::invoke(*entry, input, {});
}

}  // namespace secpilot::plugin::mcp_test
