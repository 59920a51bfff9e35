#include "cli_context.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <iostream>

#include "secpilot/plugin/shipped_policy.hpp"
#include "secpilot/util/executable.hpp"
#include "secpilot/util/json_pretty.hpp"

namespace secpilot::cli {
std::vector<std::filesystem::path> search_dirs(
    const std::vector<std::filesystem::path>& given, const char* env_var,
    std::initializer_list<const char*> beside_executable) {
  if (!given.empty()) return given;
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv(env_var); env && *env) {
    std::string list = env;
    for (std::size_t start = 0; start <= list.size();) {
      auto end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) dirs.emplace_back(list.substr(start, end - start));
      start = end + 1;
    }
    return dirs;
  }
  const auto here = executable_dir();
  for (const char* relative : beside_executable)
    if (const auto candidate = here / relative; std::filesystem::is_directory(candidate)) {
      dirs.push_back(candidate.lexically_normal());
      break;
    }
  return dirs;
}

std::vector<std::filesystem::path> plugin_dirs(const GlobalOptions& options) {
  return search_dirs(options.plugin_dirs, "SECPILOT_PLUGINS_DIR",
                     {"../plugins", "../lib/secpilot/plugins"});
}

std::optional<config::Settings> load_settings(const GlobalOptions& options, int& exit_code) {
  std::filesystem::path settings = options.settings_file;
  if (settings.empty())
    if (const char* env = std::getenv("SECPILOT_SETTINGS"); env && *env) settings = env;
  auto loaded = settings.empty() ? Expected<config::Settings>(config::Settings{})
                                 : config::Settings::load(settings);
  if (!loaded) {
    print_error(options, status_name(loaded.error().status), loaded.error().message);
    exit_code = kConfig;
    return std::nullopt;
  }
  plugin::apply_shipped_policy(*loaded);
  return std::move(*loaded);
}

std::unique_ptr<plugin::PluginHost> make_host(const GlobalOptions& options, int& exit_code) {
  plugin::HostOptions host;
  host.plugin_dirs = plugin_dirs(options);
  if (host.plugin_dirs.empty())
    spdlog::warn("no plugin folder: pass --plugins-dir DIR or set SECPILOT_PLUGINS_DIR");
  auto settings = load_settings(options, exit_code);
  if (!settings) return nullptr;
  host.settings = std::move(*settings);
  return std::make_unique<plugin::PluginHost>(std::move(host));
}

void print_json(const boost::json::value& value) {
  std::cout << pretty_json(value) << '\n';
}

void print_error(const GlobalOptions& options, std::string_view status,
                 const std::string& message) {
  if (options.json) {
    boost::json::object error{{"status", status}, {"message", message}};
    std::cerr << boost::json::serialize(boost::json::object{{"error", error}}) << '\n';
  } else {
    std::cerr << "secpilot: error: " << message << '\n';
  }
}

}  // namespace secpilot::cli
