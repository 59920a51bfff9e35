// Discovers manifests in plugin folders, loads what can run, and builds the skill catalog. A
// broken manifest or library disables only its own plugin; the reason is kept for people to see.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/config/settings.hpp"
#include "secpilot/manifest/diagnostic.hpp"
#include "secpilot/manifest/manifest.hpp"
#include "secpilot/model/chat.hpp"
#include "secpilot/net/http_client.hpp"
#include "secpilot/plugin/native_plugin.hpp"
#include "secpilot/plugin/runner_plugin.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::plugin {

class McpClients;
class McpToolSource;

struct PluginVerification;

enum class PluginState {
  Loaded,       // every Native group loaded and every MCP server started; its skills can run
  Declarative,  // no Native group: the manifest is the plugin (API, KQL, ... skills)
  Failed,       // the manifest or a library is broken; see PluginRecord::error
};
std::string_view state_name(PluginState state) noexcept;  // "loaded", "declarative", "failed"

struct PluginRecord {
  std::string name;  // Descriptor.Name, or the file name when the manifest did not parse
  std::filesystem::path manifest_path;
  std::shared_ptr<const manifest::Manifest> manifest;  // null when it did not parse
  PluginState state = PluginState::Failed;
  std::string error;                  // why it failed, with how to fix it
  std::vector<std::string> warnings;  // loaded, but something deserves a look
  std::vector<manifest::Diagnostic> diagnostics;
  std::vector<std::shared_ptr<const NativeLibrary>> libraries;    // one per Native group
  std::vector<std::shared_ptr<const McpToolSource>> mcp_sources;  // one per MCP group
  std::shared_ptr<const PluginEnvironment> environment;           // once loaded
};

struct HostOptions {
  std::vector<std::filesystem::path> plugin_dirs;
  config::Settings settings;
  net::HttpClientOptions http;
  std::size_t max_result_bytes = 4 * 1024 * 1024;
  // Optional: adds or replaces a plugin's settings and secrets after the settings file's (the
  // daemon overlays what owners set through the API).
  std::function<void(const std::string& plugin, config::PluginSettings& settings)> overlay_settings;
  // The model that answers Format: GPT skills; none: they are listed as needing one.
  std::shared_ptr<const model::ChatModel> model;
  // Where secpilot-runner is, and what the tests loosen; the limits come from the settings'
  // security.runner section.
  RunnerOptions runner;
  // The MCP servers of Format: MCP groups, shared with the hosts built before and after this one
  // (a daemon's reloads), so that an unchanged group's server is taken over, not restarted.
  // Unset: the host starts its own.
  std::shared_ptr<McpClients> mcp_clients;
};

class PluginHost {
 public:
  explicit PluginHost(HostOptions options);
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  const std::vector<PluginRecord>& plugins() const noexcept { return plugins_; }
  const PluginRecord* plugin(std::string_view name) const;  // case-insensitive
  const skills::Catalog& catalog() const noexcept { return catalog_; }

 private:
  void add_manifest(const std::filesystem::path& path);
  void load(PluginRecord& record);
  void register_skills(const PluginRecord& record);
  void register_mcp_skills(const PluginRecord& record,
                           const std::shared_ptr<const McpToolSource>& source);
  // Compiles the skill's Outputs and adds it to the catalog (a clash is logged).
  void add_entry(const PluginRecord& record, skills::SkillEntry entry);
  // Where a Native group's code runs: the security: policy's decision once `isolation:` is set
  // or the plugin is named in isolation_overrides; until then, where its manifest asks.
  Placement placement_of(const std::string& plugin, const manifest::SkillGroup& group,
                         const PluginVerification& verification) const;
  RunnerOptions runner_options(const std::string& plugin) const;

  HostOptions options_;
  std::shared_ptr<const net::HttpClient> http_;
  std::vector<PluginRecord> plugins_;
  skills::Catalog catalog_;
};

// Manifest files under `dirs`, recursively (.yaml, .yml, .json), in a stable order.
std::vector<std::filesystem::path> find_manifest_files(
    const std::vector<std::filesystem::path>& dirs);

}  // namespace secpilot::plugin
