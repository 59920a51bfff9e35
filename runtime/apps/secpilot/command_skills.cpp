// `secpilot skills list [--plugin NAME]` and `secpilot skills show Plugin.Skill`.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "secpilot/plugin/describe.hpp"
#include "table.hpp"

namespace secpilot::cli {
namespace {

struct SkillsArgs {
  std::string plugin;
  std::string name;
};

void list_skills(const GlobalOptions& options, const SkillsArgs& args, int& exit_code) {
  auto host = make_host(options, exit_code);
  if (!host) return;
  if (!args.plugin.empty() && !host->plugin(args.plugin)) {
    print_error(options, "not_found", "no plugin named '" + args.plugin + "'");
    exit_code = kNotFound;
    return;
  }
  const auto skills = host->catalog().list(args.plugin);
  if (options.json) {
    boost::json::array out;
    for (const auto* entry : skills)
      out.push_back(plugin::describe_skill(*entry, false));
    print_json(out);
    return;
  }
  Table table({"SKILL", "FORMAT", "STATUS", "DESCRIPTION"}, 70);
  for (const auto* entry : skills)
    table.add({entry->full_name, std::string(manifest::format_name(entry->format)),
               entry->available() ? "ready" : "unavailable",
               entry->available() ? (entry->spec ? entry->spec->description : "")
                                  : entry->unavailable_reason});
  table.print(std::cout);
}

void show_skill(const GlobalOptions& options, const SkillsArgs& args, int& exit_code) {
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
  auto view = plugin::describe_skill(*entry, true);
  if (options.json) {
    print_json(view);
    return;
  }
  const auto& spec = *entry->spec;
  std::cout << entry->full_name << (spec.display_name.empty() ? "" : " — " + spec.display_name)
            << "\n  format:       " << manifest::format_name(entry->format)
            << "\n  status:       " << (entry->available() ? "ready" : entry->unavailable_reason)
            << "\n  side effects: " << manifest::side_effects_name(spec.side_effects)
            << "\n  timeout:      "
            << (spec.timeout_seconds ? std::to_string(*spec.timeout_seconds) + " s" : "default")
            << "\n";
  if (!spec.aliases.empty()) {
    std::cout << "  aliases:     ";
    for (const auto& alias : spec.aliases)
      std::cout << " " << entry->plugin << "." << alias;
    std::cout << "\n";
  }
  if (!spec.description.empty()) std::cout << "\n" << spec.description << "\n";
  std::cout << "\nInputs:\n";
  if (spec.inputs.empty())
    std::cout << "  (none)\n";
  else {
    Table inputs({"NAME", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"}, 70);
    for (const auto& input : spec.inputs)
      inputs.add({input.name, input.type, input.required ? "yes" : "no",
                  input.default_value.value_or(""), input.description});
    inputs.print(std::cout);
  }
  if (!spec.example_prompts.empty()) {
    std::cout << "\nExample prompts:\n";
    for (const auto& prompt : spec.example_prompts)
      std::cout << "  - " << prompt << "\n";
  }
  if (!spec.output_entities.empty()) {
    std::cout << "\nYields entities:";
    for (const auto& type : spec.output_entities)
      std::cout << " " << type;
    std::cout << "\n";
  }
  std::cout << "\nExample:\n  secpilot invoke " << entry->full_name;
  for (const auto& input : spec.inputs)
    if (input.required)
      std::cout << " --input " << input.name << "="
                << (input.placeholder.empty() ? "…" : input.placeholder);
  std::cout << "\n";
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
