#include "secpilot/plugin/plugin_host.hpp"

#include "plugin/library_checks.hpp"

#include "secpilot/util/ascii.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "openapi/api_skills.hpp"
#include "plugin/api_binding.hpp"
#include "plugin/gpt_binding.hpp"
#include "plugin/mcp_binding.hpp"
#include "plugin/mcp_clients.hpp"
#include "plugin/query_backends.hpp"
#include "secpilot/manifest/parser.hpp"

namespace secpilot::plugin {
namespace {

// Folders also hold data files (feed indexes, OpenAPI specs) in YAML or JSON; only a document
// with a Descriptor or SkillGroups key is a manifest.
bool looks_like_manifest(const manifest::Manifest& parsed) {
  if (!parsed.raw.is_object()) return false;
  for (const auto& [key, value] : parsed.raw.as_object()) {
    (void)value;
    const std::string name = to_lower_ascii(key);
    if (name == "descriptor" || name == "skillgroups") return true;
  }
  return false;
}

// For a file that does not even parse: only one that names a manifest's keys is reported as a
// broken plugin; anything else (a malformed data file) is not the host's business.
bool mentions_manifest_keys(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::string text(64 * 1024, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  text = to_lower_ascii(text);
  return text.find("descriptor") != std::string::npos ||
         text.find("skillgroups") != std::string::npos;
}

std::shared_ptr<spdlog::logger> plugin_logger(const std::string& name) {
  auto base = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("plugin." + name, base->sinks().begin(),
                                                 base->sinks().end());
  logger->set_level(base->level());
  return logger;
}

}  // namespace

std::string_view state_name(PluginState state) noexcept {
  switch (state) {
    case PluginState::Loaded:
      return "loaded";
    case PluginState::Declarative:
      return "declarative";
    case PluginState::Failed:
      return "failed";
  }
  return "failed";
}

std::vector<std::filesystem::path> find_manifest_files(
    const std::vector<std::filesystem::path>& dirs) {
  std::vector<std::filesystem::path> files;
  for (const auto& dir : dirs) {
    std::error_code error;
    auto options = std::filesystem::directory_options::skip_permission_denied;
    for (std::filesystem::recursive_directory_iterator it(dir, options, error), end;
         !error && it != end; it.increment(error)) {
      if (!it->is_regular_file(error)) continue;
      const std::string extension = to_lower_ascii(it->path().extension().string());
      if (extension == ".yaml" || extension == ".yml" || extension == ".json")
        files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

PluginHost::PluginHost(HostOptions options) : options_(std::move(options)) {
  http_ = std::make_shared<net::HttpClient>(options_.http);
  if (!options_.mcp_clients) options_.mcp_clients = std::make_shared<McpClients>();
  for (const auto& dir : options_.plugin_dirs)
    if (!std::filesystem::is_directory(dir))
      spdlog::warn("plugin folder {} does not exist or is not a folder", dir.string());
  for (const auto& path : find_manifest_files(options_.plugin_dirs))
    add_manifest(path);
  for (auto& record : plugins_) {
    load(record);
    register_skills(record);
  }
  link_query_backends(catalog_, options_.settings);
}

const PluginRecord* PluginHost::plugin(std::string_view name) const {
  const std::string wanted = to_lower_ascii(name);
  for (const auto& record : plugins_)
    if (to_lower_ascii(record.name) == wanted) return &record;
  return nullptr;
}

void PluginHost::add_manifest(const std::filesystem::path& path) {
  auto parsed = manifest::parse_manifest_file(path);
  if (parsed.manifest ? !looks_like_manifest(*parsed.manifest) : !mentions_manifest_keys(path)) {
    spdlog::debug("{}: not a manifest (no Descriptor or SkillGroups), skipped", path.string());
    return;
  }

  PluginRecord record;
  record.manifest_path = path;
  record.diagnostics = std::move(parsed.diagnostics);
  if (parsed.manifest) {
    openapi::expand_api_groups(*parsed.manifest, record.diagnostics);
    auto lint = manifest::lint(*parsed.manifest, {.check_files = false});
    record.diagnostics.insert(record.diagnostics.end(), lint.begin(), lint.end());
    record.name = parsed.manifest->descriptor.name;
    record.manifest = std::make_shared<const manifest::Manifest>(std::move(*parsed.manifest));
  }
  if (record.name.empty()) record.name = path.stem().string();

  auto first_error =
      std::find_if(record.diagnostics.begin(), record.diagnostics.end(),
                   [](const auto& d) { return d.severity == manifest::Severity::Error; });
  if (first_error != record.diagnostics.end()) {
    const auto count =
        std::count_if(record.diagnostics.begin(), record.diagnostics.end(),
                      [](const auto& d) { return d.severity == manifest::Severity::Error; });
    record.error = "manifest has " + std::to_string(count) +
                   " error(s); first: " + manifest::format_diagnostic(*first_error) +
                   " (run `secpilot manifest lint " + path.string() + "` for all)";
  } else if (const auto* other = plugin(record.name)) {
    record.error = "another manifest, " + other->manifest_path.string() +
                   ", already defines plugin " + record.name +
                   " — remove one, or rename its Descriptor.Name";
  }
  plugins_.push_back(std::move(record));
}

namespace {

// A plugin that cannot run: what it loaded so far is let go.
void disable(PluginRecord& record, std::string why) {
  record.state = PluginState::Failed;
  record.error = std::move(why);
  record.libraries.clear();
  record.mcp_sources.clear();
  spdlog::info("plugin {} disabled: {}", record.name, record.error);
}

}  // namespace

void PluginHost::load(PluginRecord& record) {
  if (!record.error.empty() || !record.manifest) {
    record.state = PluginState::Failed;
    return;
  }
  const auto& manifest = *record.manifest;
  auto environment = std::make_shared<PluginEnvironment>();
  environment->name = manifest.descriptor.name;
  environment->manifest_dir = manifest.directory();
  environment->logger = plugin_logger(manifest.descriptor.name);
  if (const auto* settings = options_.settings.plugin(manifest.descriptor.name))
    environment->settings = *settings;
  if (options_.overlay_settings)
    options_.overlay_settings(manifest.descriptor.name, environment->settings);
  environment->declared = manifest.descriptor.settings;
  environment->egress = net::EgressPolicy(environment->settings.egress);
  environment->http = http_;
  environment->max_result_bytes = options_.max_result_bytes;
  record.environment = environment;

  for (const auto& setting : manifest.descriptor.settings)
    if (setting.required && !environment->setting(setting.name))
      record.warnings.push_back(
          "required setting '" + setting.name +
          "' has no value — add it under plugins: " + manifest.descriptor.name + ": " +
          (setting.is_secret() ? "secrets:" : "settings:") + " in the settings file");

  // Supply-chain checks on every load and reload: manifest, folders, pins, trust.
  const auto verification = verify_plugin(manifest, options_.settings);
  if (auto allowed = verification.outcome(); !allowed)
    return disable(record, allowed.error().message);

  bool any_native = false;
  for (const auto& group : manifest.groups) {
    if (group.format != manifest::Format::Native) continue;
    any_native = true;
    const LoadOptions load_options{.allow_writable = options_.settings.allow_writable_plugins()};
    Expected<std::shared_ptr<const NativeLibrary>> loaded =
        make_error(Status::internal, "not loaded");
    if (placement_of(manifest.descriptor.name, group, verification) == Placement::runner) {
      auto started = RunnerPlugin::start(manifest, group, environment, load_options,
                                         runner_options(manifest.descriptor.name));
      if (started)
        loaded = std::shared_ptr<const NativeLibrary>(std::move(*started));
      else
        loaded = started.error();
    } else {
      auto opened = NativePlugin::load(manifest, group, environment, load_options);
      if (opened)
        loaded = std::shared_ptr<const NativeLibrary>(std::move(*opened));
      else
        loaded = opened.error();
    }
    if (!loaded) return disable(record, loaded.error().message);
    for (const auto& warning : (*loaded)->warnings())
      record.warnings.push_back(warning);
    record.libraries.push_back(std::move(*loaded));
  }
  for (const auto& group : manifest.groups) {
    if (group.format != manifest::Format::MCP) continue;
    auto opened = McpToolSource::open(manifest, group, environment, *options_.mcp_clients);
    if (!opened) return disable(record, opened.error().message);
    for (const auto& warning : (*opened)->warnings())
      record.warnings.push_back(warning);
    record.mcp_sources.push_back(std::move(*opened));
  }
  record.state =
      any_native || !record.mcp_sources.empty() ? PluginState::Loaded : PluginState::Declarative;
}

Placement PluginHost::placement_of(const std::string& plugin, const manifest::SkillGroup& group,
                                   const PluginVerification& verification) const {
  const auto& policy = options_.settings.isolation();
  if ((policy.enforced || policy.override_for(plugin)) && verification.isolation)
    return verification.isolation->mode == config::IsolationMode::process ? Placement::runner
                                                                          : Placement::in_process;
  const auto asked = group.native ? group.native->isolation : std::nullopt;
  return asked == manifest::Isolation::Process ? Placement::runner : Placement::in_process;
}

RunnerOptions PluginHost::runner_options(const std::string& plugin) const {
  const auto& policy = options_.settings.isolation();
  RunnerOptions runner = options_.runner;
  runner.memory_mb = policy.runner.memory_mb;
  runner.cpu_seconds = policy.runner.cpu_seconds;
  runner.open_files = policy.runner.open_files;
  runner.allow_network = runner.allow_network || policy.allows_network(plugin);
  runner.allow_processes = runner.allow_processes || policy.allows_processes(plugin);
  if (policy.runner.user) runner.user = policy.runner.user;
  runner.restart_backoff = std::chrono::milliseconds(policy.runner.restart_backoff_ms);
  runner.max_restart_backoff = std::chrono::milliseconds(policy.runner.restart_backoff_max_ms);
  runner.unhealthy_after = static_cast<unsigned>(policy.runner.unhealthy_after);
  return runner;
}

namespace {

// An entry for one of the plugin's skills, before the format fills in how it runs.
skills::SkillEntry entry_for(const PluginRecord& record, const manifest::Skill& skill,
                             manifest::Format format) {
  skills::SkillEntry entry;
  entry.plugin = record.manifest->descriptor.name;
  entry.name = skill.name;
  entry.full_name = entry.plugin + "." + skill.name;
  entry.manifest = record.manifest;
  entry.spec = &skill;
  entry.format = format;
  return entry;
}

}  // namespace

void PluginHost::add_entry(const PluginRecord& record, skills::SkillEntry entry) {
  if (entry.spec->outputs)
    if (auto schema = JsonSchema::compile(*entry.spec->outputs))
      entry.output_schema = std::move(*schema);
  if (auto added = catalog_.add(std::move(entry)); !added)
    spdlog::warn("{}: {}", record.manifest_path.string(), added.error().message);
}

void PluginHost::register_mcp_skills(const PluginRecord& record,
                                     const std::shared_ptr<const McpToolSource>& source) {
  for (const auto& skill : source->skills()) {
    auto entry = entry_for(record, skill, manifest::Format::MCP);
    entry.mcp = source;
    entry.thread_safe = true;  // requests to one server may overlap
    add_entry(record, std::move(entry));
  }
}

void PluginHost::register_skills(const PluginRecord& record) {
  if (!record.manifest) return;
  std::size_t native_index = 0, mcp_index = 0;
  std::optional<Expected<std::shared_ptr<openapi::ApiAuth>>> api_auth;  // one per plugin
  for (const auto& group : record.manifest->groups) {
    if (group.format == manifest::Format::MCP && record.state != PluginState::Failed) {
      register_mcp_skills(record, record.mcp_sources.at(mcp_index++));
      continue;
    }
    std::shared_ptr<const NativeLibrary> library;
    if (group.format == manifest::Format::Native && record.state == PluginState::Loaded)
      library = record.libraries.at(native_index++);
    for (const auto& skill : group.skills) {
      auto entry = entry_for(record, skill, group.format);
      entry.native = library;
      if (record.state == PluginState::Failed)
        entry.unavailable_reason = "plugin " + record.name + " failed to load: " + record.error;
      else if (group.format == manifest::Format::KQL)
        read_kql_settings(group, entry);
      else if (group.format == manifest::Format::API) {
        if (!api_auth)
          api_auth.emplace(openapi::ApiAuth::from_descriptor(record.manifest->descriptor));
        bind_api_skill(group, skill, *api_auth, record.environment, entry);
      } else if (group.format == manifest::Format::GPT) {
        bind_gpt_skill(group, options_.model, record.environment, entry);
      } else if (group.format != manifest::Format::Native)
        entry.unavailable_reason =
            "not executable yet: " + manifest::not_executable_reason(group.format);
      if (library)
        if (const sp_skill* abi = library->skill(skill.name))
          entry.thread_safe = (abi->flags & SP_SKILL_THREAD_SAFE) != 0;
      add_entry(record, std::move(entry));
    }
  }
}

}  // namespace secpilot::plugin
