// The skill catalog: every skill of every discovered plugin, keyed "Plugin.Skill"
// (case-insensitive, aliases resolve), with whether it can run here and, if not, why.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/config/settings.hpp"
#include "secpilot/manifest/manifest.hpp"
#include "secpilot/util/json_schema.hpp"
#include "secpilot/util/string_map.hpp"

namespace secpilot::plugin {
class NativeLibrary;
class McpToolSource;
struct PluginEnvironment;
}  // namespace secpilot::plugin
namespace secpilot::model {
class ChatModel;
}
namespace secpilot::openapi {
class ApiCall;
}

namespace secpilot::skills {

struct SkillEntry {
  std::string plugin;     // Descriptor.Name
  std::string name;       // Skill.Name
  std::string full_name;  // "Plugin.Skill"
  std::shared_ptr<const manifest::Manifest> manifest;
  const manifest::Skill* spec = nullptr;  // points into *manifest
  manifest::Format format = manifest::Format::Unknown;
  // Why the skill cannot run (format not executable yet, plugin failed to load); empty when it can.
  std::string unavailable_reason;
  std::shared_ptr<const plugin::NativeLibrary> native;  // for Format: Native, once loaded
  std::shared_ptr<const openapi::ApiCall> api;          // for Format: API: its operation
  std::shared_ptr<const plugin::McpToolSource> mcp;     // for Format: MCP: its server
  std::optional<JsonSchema> output_schema;              // compiled Outputs schema
  bool thread_safe = false;
  // Format: KQL: the query template, its Target, and the skill that runs the rendered query
  // (in the same catalog, so it lives as long as this entry).
  std::string query_template;
  std::string query_target;
  const SkillEntry* query_backend = nullptr;
  // Format: GPT: the prompt template (Settings.Template) and the model that answers it; without
  // a configured model the skill is unavailable.
  std::string prompt_template;
  std::shared_ptr<const model::ChatModel> model;
  // The plugin's settings, for {{Setting}} in a GPT template; set for GPT skills.
  std::shared_ptr<const plugin::PluginEnvironment> environment;
  // Set once a call overran its deadline (the plugin ignored is_cancelled): invoke_adaptive then
  // stops running the skill on the caller's thread. Shared by copies of the entry.
  std::shared_ptr<std::atomic<bool>> overran_deadline = std::make_shared<std::atomic<bool>>(false);

  bool available() const noexcept { return unavailable_reason.empty(); }
};

class Catalog {
 public:
  // Adds a skill; fails when its full name or an alias is already taken.
  Outcome add(SkillEntry entry);

  // By "Plugin.Skill" or "Plugin.Alias", case-insensitively; nullptr when unknown.
  const SkillEntry* find(std::string_view full_name) const;
  // Close names for an unknown one, best first, for "did you mean" messages.
  std::vector<std::string> suggest(std::string_view full_name, std::size_t limit = 3) const;

  // All skills (optionally of one plugin), sorted by full name.
  std::vector<const SkillEntry*> list(std::string_view plugin = {}) const;
  std::size_t size() const noexcept { return entries_.size(); }

  // For the host, once every skill is in: visits each entry to link skills to each other (a KQL
  // skill to its query backend). Names must not change.
  template <class Visit>
  void link(Visit&& visit) {
    for (auto& entry : entries_)
      visit(*entry);
  }

 private:
  std::vector<std::unique_ptr<SkillEntry>> entries_;
  std::map<std::string, const SkillEntry*, config::CaseInsensitiveLess> by_name_;
  // Exact spelling first: callers mostly use the canonical name, and hashing it is far cheaper
  // than case-folding comparisons; by_name_ is the case-insensitive fallback.
  StringMap<const SkillEntry*> exact_;
};

}  // namespace secpilot::skills
