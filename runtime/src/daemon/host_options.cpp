#include "secpilot/daemon/host_options.hpp"

#include "secpilot/plugin/shipped_policy.hpp"

namespace secpilot::daemon {

plugin::HostOptions host_options(const config::DaemonConfig& config,
                                 std::shared_ptr<store::Store> store,
                                 std::shared_ptr<const model::ChatModel> model) {
  plugin::HostOptions options;
  options.plugin_dirs = config.plugin_dirs;
  options.settings = config.settings;
  plugin::apply_shipped_policy(options.settings);
  options.http = config.http_client;
  options.max_result_bytes = config.limits.max_result_bytes;
  options.model = std::move(model);
  if (store)
    options.overlay_settings = [store = std::move(store)](const std::string& plugin,
                                                          config::PluginSettings& settings) {
      auto stored = store->plugin_settings(plugin);
      if (!stored) return;
      for (const auto& setting : *stored) {
        if (!setting.secret) {
          settings.values[setting.name] = setting.value;
        } else if (auto secret = store->plugin_secret(plugin, setting.name)) {
          settings.secrets[setting.name] = *secret;
        }
      }
    };
  return options;
}

}  // namespace secpilot::daemon
