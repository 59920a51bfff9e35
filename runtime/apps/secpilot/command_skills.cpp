// `secpilot skills list [--plugin NAME]` and `secpilot skills show Plugin.Skill`, from the local
// plugin folders or, with --server, from the daemon.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "remote_client.hpp"
#include "secpilot/plugin/describe.hpp"
#include "table.hpp"

namespace secpilot::cli {
namespace {

struct SkillsArgs {
  std::string plugin;
  std::string name;
};

std::string member(const boost::json::object& view, std::string_view key) {
  const auto* value = view.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

bool flag(const boost::json::object& view, std::string_view key) {
  const auto* value = view.if_contains(key);
  return value && value->is_bool() && value->as_bool();
}

boost::json::array array(const boost::json::object& view, std::string_view key) {
  const auto* value = view.if_contains(key);
  return value && value->is_array() ? value->as_array() : boost::json::array();
}

void print_skill_table(const boost::json::array& views) {
  Table table({"SKILL", "FORMAT", "STATUS", "DESCRIPTION"}, 70);
  for (const auto& item : views) {
    const auto& view = item.as_object();
    const bool available = flag(view, "available");
    std::string status = available ? "ready" : "unavailable";
    if (available && view.contains("enabled") && !flag(view, "enabled")) status = "disabled";
    table.add({member(view, "name"), member(view, "format"), status,
               available ? member(view, "description") : member(view, "unavailableReason")});
  }
  table.print(std::cout);
}

void print_skill(const boost::json::object& view) {
  const std::string name = member(view, "name");
  const std::string display = member(view, "displayName");
  std::string timeout = "default";
  if (const auto* seconds = view.if_contains("timeoutSeconds"); seconds && seconds->is_number())
    timeout = std::to_string(seconds->to_number<std::int64_t>()) + " s";
  std::cout << name << (display.empty() ? "" : " — " + display)
            << "\n  format:       " << member(view, "format") << "\n  status:       "
            << (flag(view, "available") ? "ready" : member(view, "unavailableReason")) << "\n";
  if (view.contains("enabled") && !flag(view, "enabled"))
    std::cout << "  enabled:      no (plugin disabled for you)\n";
  std::cout << "  side effects: " << member(view, "sideEffects") << "\n  timeout:      " << timeout
            << "\n";
  const auto aliases = array(view, "aliases");
  if (!aliases.empty()) {
    std::cout << "  aliases:     ";
    for (const auto& alias : aliases)
      if (alias.is_string())
        std::cout << " " << member(view, "plugin") << "." << std::string_view(alias.as_string());
    std::cout << "\n";
  }
  if (!member(view, "description").empty())
    std::cout << "\n" << member(view, "description") << "\n";
  const auto inputs = array(view, "inputs");
  std::cout << "\nInputs:\n";
  if (inputs.empty()) {
    std::cout << "  (none)\n";
  } else {
    Table table({"NAME", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"}, 70);
    for (const auto& item : inputs) {
      const auto& input = item.as_object();
      table.add({member(input, "name"), member(input, "type"),
                 flag(input, "required") ? "yes" : "no", member(input, "default"),
                 member(input, "description")});
    }
    table.print(std::cout);
  }
  const auto prompts = array(view, "examplePrompts");
  if (!prompts.empty()) {
    std::cout << "\nExample prompts:\n";
    for (const auto& prompt : prompts)
      if (prompt.is_string()) std::cout << "  - " << std::string_view(prompt.as_string()) << "\n";
  }
  const auto entities = array(view, "outputEntities");
  if (!entities.empty()) {
    std::cout << "\nYields entities:";
    for (const auto& type : entities)
      if (type.is_string()) std::cout << " " << std::string_view(type.as_string());
    std::cout << "\n";
  }
  std::cout << "\nExample:\n  secpilot invoke " << name;
  for (const auto& item : inputs) {
    const auto& input = item.as_object();
    if (!flag(input, "required")) continue;
    const std::string placeholder = member(input, "placeholder");
    std::cout << " --input " << member(input, "name") << "="
              << (placeholder.empty() ? "…" : placeholder);
  }
  std::cout << "\n";
}

void list_skills(const GlobalOptions& options, const SkillsArgs& args, int& exit_code) {
  boost::json::array views;
  if (options.remote()) {
    auto client = RemoteClient::connect(options, exit_code);
    if (!client) return;
    std::string path = "/v1/skills";
    if (!args.plugin.empty()) {
      // An unknown plugin is an error (as locally), not an empty list.
      if (!client->json("GET", "/v1/plugins/" + path_segment(args.plugin), exit_code)) return;
      path += "?plugin=" + path_segment(args.plugin);
    }
    auto reply = client->json("GET", path, exit_code);
    if (!reply) return;
    const auto* value = reply->is_object() ? reply->as_object().if_contains("value") : nullptr;
    if (value && value->is_array()) views = value->as_array();
  } else {
    auto host = make_host(options, exit_code);
    if (!host) return;
    if (!args.plugin.empty() && !host->plugin(args.plugin)) {
      print_error(options, "not_found", "no plugin named '" + args.plugin + "'");
      exit_code = kNotFound;
      return;
    }
    for (const auto* entry : host->catalog().list(args.plugin))
      views.push_back(plugin::describe_skill(*entry, false));
  }
  if (options.json) {
    print_json(views);
    return;
  }
  print_skill_table(views);
}

void show_skill(const GlobalOptions& options, const SkillsArgs& args, int& exit_code) {
  boost::json::object view;
  if (options.remote()) {
    auto client = RemoteClient::connect(options, exit_code);
    if (!client) return;
    auto reply = client->json("GET", "/v1/skills/" + path_segment(args.name), exit_code);
    if (!reply) return;
    if (reply->is_object()) view = std::move(reply->as_object());
  } else {
    auto host = make_host(options, exit_code);
    if (!host) return;
    const auto* entry = host->catalog().find(args.name);
    if (!entry) {
      std::string message = "no skill named '" + args.name + "'";
      auto close = host->catalog().suggest(args.name);
      if (!close.empty()) message += " — did you mean " + close.front() + "?";
      print_error(options, "not_found", message);
      exit_code = kNotFound;
      return;
    }
    view = plugin::describe_skill(*entry, true);
  }
  if (options.json) {
    print_json(view);
    return;
  }
  print_skill(view);
}

}  // namespace

void add_skills_commands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<SkillsArgs>();  // kept alive by the callbacks
  auto* skills = app.add_subcommand("skills", "Skills of all plugins: list and inspect");
  skills->require_subcommand(1);
  auto* list = skills->add_subcommand("list", "List skills, optionally of one plugin");
  list->add_option("--plugin", args->plugin, "Only this plugin's skills");
  list->callback([&options, &exit_code, args] { list_skills(options, *args, exit_code); });
  auto* show = skills->add_subcommand("show", "Show a skill's inputs, outputs and examples");
  show->add_option("SKILL", args->name, "Plugin.Skill")->required();
  show->callback([&options, &exit_code, args] { show_skill(options, *args, exit_code); });
}

}  // namespace secpilot::cli
