// `secpilot plugins list` and `secpilot plugins show NAME`.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "secpilot/plugin/describe.hpp"
#include "table.hpp"

namespace secpilot::cli {
namespace {

void list_plugins(const GlobalOptions& options, int& exit_code) {
  auto host = make_host(options, exit_code);
  if (!host) return;
  if (options.json) {
    boost::json::array out;
    for (const auto& record : host->plugins())
      out.push_back(plugin::describe_plugin(record, host->catalog(), false));
    print_json(out);
    return;
  }
  Table table({"NAME", "STATE", "SKILLS", "VERSION", "DETAILS"}, 90);
  for (const auto& record : host->plugins()) {
    auto view = plugin::describe_plugin(record, host->catalog(), false);
    std::string details = record.error;
    if (details.empty() && !record.warnings.empty())
      details = "warning: " + record.warnings.front();
    if (details.empty() && view.contains("displayName"))
      details = std::string(view["displayName"].as_string());
    table.add({record.name, std::string(plugin::state_name(record.state)),
               std::to_string(host->catalog().list(record.name).size()),
               view.contains("version") ? std::string(view["version"].as_string()) : "", details});
  }
  if (host->plugins().empty()) {
    std::cout << "No plugins found in the plugin folders; pass --plugins-dir DIR.\n";
    return;
  }
  table.print(std::cout);
}

void show_plugin(const GlobalOptions& options, const std::string& name, int& exit_code) {
  auto host = make_host(options, exit_code);
  if (!host) return;
  const auto* record = host->plugin(name);
  if (!record) {
    print_error(options, "not_found",
                "no plugin named '" + name + "' — `secpilot plugins list` shows what is loaded");
    exit_code = kNotFound;
    return;
  }
  auto view = plugin::describe_plugin(*record, host->catalog(), true);
  if (options.json) {
    print_json(view);
    return;
  }
  auto text = [&](const char* key) {
    const auto* value = view.if_contains(key);
    return value && value->is_string() ? std::string(value->as_string()) : std::string();
  };
  std::cout << record->name << " — " << text("displayName") << "\n"
            << "  state:    " << plugin::state_name(record->state) << "\n"
            << "  version:  " << text("version") << "\n"
            << "  manifest: " << record->manifest_path.string() << "\n";
  if (!record->error.empty()) std::cout << "  error:    " << record->error << "\n";
  for (const auto& warning : record->warnings)
    std::cout << "  warning:  " << warning << "\n";
  if (!text("description").empty()) std::cout << "\n" << text("description") << "\n";
  for (const auto& library : view["libraries"].as_array()) {
    const auto& lib = library.as_object();
    std::cout << "\nLibrary " << lib.at("path").as_string() << " (plugin "
              << lib.at("version").as_string() << ", SDK " << lib.at("sdkVersion").as_string()
              << ", ABI " << lib.at("abi").as_string() << ")\n";
  }
  if (!view["settings"].as_array().empty()) {
    std::cout << "\nSettings:\n";
    Table settings({"NAME", "TYPE", "REQUIRED", "VALUE"});
    for (const auto& item : view["settings"].as_array()) {
      const auto& s = item.as_object();
      std::string value = s.at("set").as_bool() ? "(set)" : "(not set)";
      if (const auto* shown = s.if_contains("value")) value = std::string(shown->as_string());
      settings.add({std::string(s.at("name").as_string()), std::string(s.at("type").as_string()),
                    s.at("required").as_bool() ? "yes" : "no", value});
    }
    settings.print(std::cout);
  }
  std::cout << "\nSkills:\n";
  Table skills({"SKILL", "FORMAT", "STATUS"}, 100);
  for (const auto& item : view["skills"].as_array()) {
    const auto& s = item.as_object();
    skills.add({std::string(s.at("name").as_string()), std::string(s.at("format").as_string()),
                s.at("available").as_bool() ? "ready"
                                            : std::string(s.at("unavailableReason").as_string())});
  }
  skills.print(std::cout);
  if (!record->diagnostics.empty()) {
    std::cout << "\nManifest diagnostics:\n";
    for (const auto& d : view["diagnostics"].as_array())
      std::cout << "  " << d.as_string() << "\n";
  }
}

}  // namespace

void add_plugins_commands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto* plugins = app.add_subcommand("plugins", "Discovered plugins, their state and errors");
  plugins->require_subcommand(1);
  plugins->add_subcommand("list", "List plugins with their state (loaded, declarative, failed)")
      ->callback([&] { list_plugins(options, exit_code); });
  auto* show = plugins->add_subcommand("show", "Show one plugin: settings, libraries, skills");
  auto name = std::make_shared<std::string>();  // kept alive by the callback
  show->add_option("NAME", *name, "Plugin name (Descriptor.Name)")->required();
  show->callback([&options, &exit_code, name] { show_plugin(options, *name, exit_code); });
}

}  // namespace secpilot::cli
