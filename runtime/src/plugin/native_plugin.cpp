#include "secpilot/plugin/native_plugin.hpp"

#include "secpilot/util/ascii.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cstring>

#include "plugin/call_state.hpp"
#include "plugin/library_checks.hpp"
#include "plugin/library_files.hpp"
#include "secpilot/util/json_schema.hpp"

namespace secpilot::plugin {
namespace {

std::string abi_text(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string text_or(const char* text, const char* fallback) {
  return text ? text : fallback;
}

// Maps the library and keeps it mapped for the life of the process: unloading code that may
// still own thread-local destructors or callbacks is never safe (see docs/architecture.md).
Expected<sp_entry_fn> map_library(const std::filesystem::path& path) {
  boost::dll::shared_library library;
  boost::system::error_code error;
  library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
  if (error) {
    const char* reason = ::dlerror();
    return make_error(Status::unsupported, "cannot load " + path.filename().string() + ": " +
                                               (reason ? reason : error.message()));
  }
  // Pin it: RTLD_NODELETE on the already-open handle, so no later dlclose can unmap it.
  ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  if (!library.has(SP_ENTRY_SYMBOL))
    return make_error(Status::unsupported,
                      path.filename().string() +
                          " does not export " SP_ENTRY_SYMBOL
                          " — build it with secpilot_add_plugin() (or mark the "
                          "function SP_EXPORT) and check it with `nm -D`");
  auto entry = library.get<const sp_plugin*(uint16_t, uint16_t)>(SP_ENTRY_SYMBOL);
  return static_cast<sp_entry_fn>(entry);
}

// The non-secret settings as a JSON object: what init receives as config_json.
std::string config_json(const PluginEnvironment& env) {
  boost::json::object config;
  for (const auto& declared : env.declared)
    if (!declared.is_secret())
      if (auto value = env.setting(declared.name)) config[declared.name] = *value;
  for (const auto& [name, value] : env.settings.values)
    config[name] = value;
  return boost::json::serialize(config);
}

// Plugin.h promises init a config already checked against the plugin's config_schema.
Outcome check_config(const char* config_schema, const std::string& config,
                     const std::string& file) {
  if (!config_schema) return Done{};
  boost::system::error_code error;
  auto schema_json = boost::json::parse(config_schema, error);
  if (error)
    return make_error(Status::unsupported, file + ": its config_schema is not JSON (" +
                                               error.message() +
                                               ") — a plugin bug: fix the schema in the plugin");
  auto schema = JsonSchema::compile(schema_json);
  if (!schema)
    return make_error(
        Status::unsupported,
        file + ": its config_schema is not a valid JSON Schema: " + schema.error().message);
  auto problems = schema->validate(boost::json::parse(config));
  if (problems.empty()) return Done{};
  std::string message = "the plugin's settings do not match its configuration schema: ";
  for (std::size_t i = 0; i < problems.size() && i < 5; ++i)
    message += (i ? "; " : "") + problems[i];
  return make_error(Status::invalid_input,
                    message + " — fix them under plugins: in the settings file");
}

}  // namespace

std::optional<std::string> PluginEnvironment::setting(std::string_view name) const {
  if (auto it = settings.values.find(name); it != settings.values.end()) return it->second;
  if (auto it = settings.secrets.find(name); it != settings.secrets.end()) return it->second;
  for (const auto& declared : this->declared)
    if (iequals_ascii(declared.name, name) && declared.default_value)
      return *declared.default_value;
  return std::nullopt;
}

std::string PluginEnvironment::redact(std::string_view text) const {
  std::string out(text);
  for (const auto& [name, secret] : settings.secrets) {
    if (secret.size() < 4) continue;  // too short to tell apart from ordinary text
    for (auto at = out.find(secret); at != std::string::npos; at = out.find(secret, at + 3))
      out.replace(at, secret.size(), "***");
  }
  return out;
}

Expected<std::shared_ptr<NativePlugin>> NativePlugin::load(
    const manifest::Manifest& manifest, const manifest::SkillGroup& group,
    std::shared_ptr<const PluginEnvironment> environment, const LoadOptions& options) {
  if (!group.native || group.native->library.empty())
    return make_error(Status::invalid_input,
                      "the Native skill group names no Library — add Settings: {Library: "
                      "libname.so} to the group");
  const auto& native = *group.native;
  std::filesystem::path path = native.library;
  if (path.is_relative()) path = manifest.directory() / path;
  path = path.lexically_normal();
  // Messages name the library file; its folder is the manifest's, shown beside the error.
  const std::string file = path.filename().string();

  // Before any plugin code runs: existence, trust, pin, declared ABI.
  if (!std::filesystem::exists(path))
    return make_error(Status::not_found, "plugin library " + path.string() +
                                             " not found — build the plugin, or fix Library in " +
                                             manifest.path.string());
  if (auto done = check_file_trust(path, options.allow_writable); !done) return done.error();
  if (auto done = check_pinned_sha256(path, native.sha256); !done) return done.error();
  if (auto done = check_manifest_abi(native.abi); !done) return done.error();

  // Checked above is `path`; a replaced library is mapped from a private copy (see
  // library_files.hpp), whose pin is checked again since the copy is what runs.
  auto mapped_path = loadable_path(path);
  if (!mapped_path) return mapped_path.error();
  if (*mapped_path != path)
    if (auto done = check_pinned_sha256(*mapped_path, native.sha256); !done) return done.error();
  auto entry = map_library(*mapped_path);
  if (!entry) return entry.error();
  const sp_plugin* raw = (*entry)(SP_ABI_MAJOR, SP_ABI_MINOR);
  if (!raw)
    return make_error(Status::unsupported,
                      file + " refused to load on host ABI " +
                          abi_text(SP_ABI_MAJOR, SP_ABI_MINOR) +
                          " (its entry point returned NULL) — use a build of the plugin for this "
                          "ABI");

  auto plugin = std::shared_ptr<NativePlugin>(new NativePlugin());
  plugin->environment_ = std::move(environment);
  plugin->library_path_ = path;
  constexpr std::size_t needed = offsetof(sp_plugin, skills) + sizeof(const sp_skill*);
  if (raw->struct_size < offsetof(sp_plugin, abi_minor) + sizeof(uint16_t))
    return make_error(Status::unsupported, file + ": descriptor is too small (" +
                                               std::to_string(raw->struct_size) +
                                               " bytes) — not a secpilot plugin descriptor");
  const std::string sdk = raw->struct_size >= offsetof(sp_plugin, sdk_version) + sizeof(char*)
                              ? text_or(raw->sdk_version, "unknown")
                              : "unknown";
  if (raw->abi_major != SP_ABI_MAJOR || raw->abi_minor > SP_ABI_MINOR)
    return make_error(Status::unsupported,
                      file + " was built for plugin ABI " +
                          abi_text(raw->abi_major, raw->abi_minor) + " (SDK " + sdk +
                          ") but this host speaks ABI " + abi_text(SP_ABI_MAJOR, SP_ABI_MINOR) +
                          (raw->abi_major != SP_ABI_MAJOR
                               ? " — majors must match: rebuild the plugin with SDK " +
                                     std::to_string(SP_ABI_MAJOR) + ".x"
                               : " — upgrade secpilot, or rebuild the plugin with an SDK no "
                                 "newer than " +
                                     abi_text(SP_ABI_MAJOR, SP_ABI_MINOR)));
  if (raw->struct_size < needed)
    return make_error(Status::unsupported, file + ": descriptor is too small (" +
                                               std::to_string(raw->struct_size) + " bytes)");
  std::memcpy(&plugin->descriptor_, raw,
              std::min<std::size_t>(raw->struct_size, sizeof(sp_plugin)));
  const sp_plugin& d = plugin->descriptor_;
  if (!d.name || !d.version || !d.init || !d.destroy || (d.skill_count && !d.skills))
    return make_error(Status::unsupported,
                      file +
                          ": descriptor lacks a required member (name, version, "
                          "init, destroy or skills) — see plugin.h");
  if (!iequals_ascii(d.name, manifest.descriptor.name))
    return make_error(Status::invalid_input,
                      file + " is the plugin '" + d.name + "' but the manifest names '" +
                          manifest.descriptor.name + "' — make Descriptor.Name match");
  plugin->version_ = d.version;
  plugin->sdk_version_ = sdk;

  for (std::size_t i = 0; i < d.skill_count; ++i) {
    const sp_skill& raw_skill = d.skills[i];
    sp_skill skill{};
    std::memcpy(&skill, &raw_skill, std::min<std::size_t>(raw_skill.struct_size, sizeof skill));
    if (!skill.name || !skill.invoke)
      return make_error(Status::unsupported, file + ": skill #" + std::to_string(i) +
                                                 " has no name or no invoke function");
    plugin->skills_.push_back(skill);
  }

  // Every skill the manifest declares must be implemented; extra ones are only warned about.
  std::vector<std::string> missing;
  for (const auto& declared : group.skills)
    if (!plugin->skill(declared.name)) missing.push_back(declared.name);
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : missing)
      list += (list.empty() ? "" : ", ") + name;
    return make_error(Status::unsupported,
                      file + " does not implement skill(s) the manifest declares: " + list +
                          " — implement them or remove them from the manifest");
  }
  for (const auto& skill : plugin->skills_) {
    bool declared = std::any_of(group.skills.begin(), group.skills.end(),
                                [&](const auto& s) { return s.name == skill.name; });
    if (!declared)
      plugin->warnings_.push_back(std::string("skill '") + skill.name +
                                  "' is implemented but not declared in the manifest; it is "
                                  "not callable until it is");
  }

  // init, with the init call for log, settings and errors.
  sp_call call(*plugin->environment_);
  call.is_init = true;
  const std::string config = config_json(*plugin->environment_);
  if (auto checked = check_config(d.config_schema, config, file); !checked) return checked.error();
  const std::string manifest_dir = manifest.directory().string();
  sp_init_args args{sizeof(sp_init_args),
                    &host_api(),
                    &call,
                    {config.data(), config.size()},
                    manifest_dir.c_str()};
  sp_status status = SP_ERR_INTERNAL;
  try {
    status = d.init(&args, &plugin->instance_);
  } catch (...) {  // a plugin not built with the SDK let an exception escape
    call.error_message = "an exception escaped the plugin's init";
  }
  if (status != SP_OK) {
    plugin->instance_ = nullptr;
    return make_error(
        status_from_abi(status == SP_OK ? SP_ERR_INTERNAL : status),
        "plugin init failed (" + std::string(status_name(status_from_abi(status))) +
            "): " + (call.error_message.empty() ? "no message given" : call.error_message));
  }
  plugin->initialised_ = true;
  for (const auto& warning : plugin->warnings_)
    if (plugin->environment_->logger) plugin->environment_->logger->warn("{}", warning);
  return plugin;
}

NativePlugin::~NativePlugin() {
  if (initialised_) {
    std::lock_guard lock(serial_);
    descriptor_.destroy(instance_);
  }
}

const sp_skill* NativePlugin::skill(std::string_view name) const noexcept {
  for (const auto& skill : skills_)
    if (name == skill.name) return &skill;
  return nullptr;
}

std::string NativePlugin::abi_version() const {
  return abi_text(descriptor_.abi_major, descriptor_.abi_minor);
}

Expected<std::string> NativePlugin::invoke(const sp_skill& skill, const std::string& input,
                                           const CallControl& control) const {
  sp_call call(*environment_);
  call.deadline = control.deadline;
  call.external_cancel = control.cancelled.get();
  call.on_progress = control.on_progress ? &control.on_progress : nullptr;
  // Only error messages need the name: build it there, not on every call.
  auto full_name = [&] { return environment_->name + "." + skill.name; };

  std::unique_lock<std::timed_mutex> turn(serial_, std::defer_lock);
  if (!(skill.flags & SP_SKILL_THREAD_SAFE) && !turn.try_lock_until(control.deadline))
    return make_error(Status::timeout, full_name() +
                                           " timed out waiting for an earlier call to the plugin "
                                           "to finish (its skills are not thread-safe)");
  sp_status status = SP_ERR_INTERNAL;
  try {
    status = skill.invoke(instance_, &call, input.c_str(), input.size());
  } catch (...) {  // only a plugin not built with the SDK can get here
    call.error_message = "an exception escaped the skill";
  }
  if (turn.owns_lock()) turn.unlock();

  std::lock_guard lock(call.mutex);  // the plugin's own threads may still hold the call
  if (call.cancelled()) {
    if (control.cancelled && control.cancelled->load())
      return make_error(Status::cancelled, full_name() + " was cancelled");
    return make_error(Status::timeout,
                      full_name() + " ran past its timeout; its result was discarded");
  }
  if (call.rejected_result_size)
    return make_error(Status::too_large,
                      full_name() + " produced a result of " +
                          std::to_string(call.rejected_result_size) + " bytes, over the limit of " +
                          std::to_string(environment_->max_result_bytes) + " bytes");
  if (status != SP_OK) {
    Status code = status_from_abi(status);
    std::string message = call.error_message.empty()
                              ? full_name() + " failed with status " +
                                    std::string(status_name(code)) + " and no message"
                              : call.error_message;
    return make_error(code, std::move(message));
  }
  if (!call.has_result)
    return make_error(Status::internal, full_name() +
                                            " returned success without setting a result — a "
                                            "plugin bug: call set_result before returning SP_OK");
  return std::move(call.result);
}

}  // namespace secpilot::plugin
