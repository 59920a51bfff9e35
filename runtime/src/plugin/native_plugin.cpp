#include "secpilot/plugin/native_plugin.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include "plugin/call_state.hpp"
#include "plugin/library_loading.hpp"
#include "secpilot/util/ascii.hpp"
#include "util/json_template.hpp"

namespace secpilot::plugin {

std::string_view placement_name(Placement placement) noexcept {
  return placement == Placement::in_process ? "in_process" : "process";
}

const sp_skill* NativeLibrary::skill(std::string_view name) const noexcept {
  for (const auto& skill : skills_)
    if (name == skill.name) return &skill;
  return nullptr;
}

std::optional<std::string> PluginEnvironment::setting(std::string_view name) const {
  if (auto it = settings.values.find(name); it != settings.values.end()) return it->second;
  if (auto it = settings.secrets.find(name); it != settings.secrets.end()) return it->second;
  for (const auto& declared : this->declared)
    if (iequals_ascii(declared.name, name) && declared.default_value)
      return *declared.default_value;
  return std::nullopt;
}

Expected<std::string> PluginEnvironment::with_settings(std::string_view text) const {
  std::string missing;
  std::string out = render_json_template(text, [&](std::string_view reference) {
    if (auto value = setting(reference)) return *value;
    if (missing.empty()) missing = std::string(reference);
    return std::string();
  });
  if (!missing.empty())
    return make_error(Status::unauthorized,
                      "the setting " + missing + " has no value — set it under plugins: " + name +
                          ": in the settings file, or with `secpilot plugins settings " + name +
                          " --set " + missing + "=...`");
  return out;
}

std::string PluginEnvironment::config_json() const {
  boost::json::object config;
  for (const auto& setting : declared)
    if (!setting.is_secret())
      if (auto value = this->setting(setting.name)) config[setting.name] = *value;
  for (const auto& [name, value] : settings.values)
    config[name] = value;
  return boost::json::serialize(config);
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
  auto checked = check_library(manifest, group, options);
  if (!checked) return checked.error();
  // Messages name the library file; its folder is the manifest's, shown beside the error.
  const std::string file = checked->path.filename().string();
  auto opened =
      open_library(checked->map_path, file, manifest.descriptor.name, declared_skill_names(group));
  if (!opened) return opened.error();
  opened->identity.library_path = checked->path;
  auto plugin = std::shared_ptr<NativePlugin>(
      new NativePlugin(std::move(environment), std::move(opened->identity)));
  plugin->descriptor_ = opened->descriptor;
  plugin->skills_ = std::move(opened->skills);
  const sp_plugin& d = plugin->descriptor_;

  // init, with the init call for log, settings and errors.
  sp_call call(*plugin->environment_);
  call.is_init = true;
  const std::string config = plugin->environment_->config_json();
  if (auto config_ok = check_config(d.config_schema, config, file); !config_ok)
    return config_ok.error();
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
  for (const auto& warning : plugin->warnings())
    if (plugin->environment_->logger) plugin->environment_->logger->warn("{}", warning);
  return plugin;
}

NativePlugin::~NativePlugin() {
  if (initialised_) {
    std::lock_guard lock(serial_);
    descriptor_.destroy(instance_);
  }
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
