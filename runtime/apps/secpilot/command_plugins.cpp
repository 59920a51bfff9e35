// `secpilot plugins list|show` (local plugin folders, or a daemon with --server), and the
// daemon-only `plugins enable|disable|settings`.
#include <termios.h>
#include <unistd.h>

#include <strings.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <set>

#include "cli_context.hpp"
#include "remote_client.hpp"
#include "secpilot/plugin/describe.hpp"
#include "table.hpp"

namespace secpilot::cli {
namespace {

std::string member(const boost::json::object& view, std::string_view key) {
  const auto* value = view.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

bool flag(const boost::json::object& view, std::string_view key) {
  const auto* value = view.if_contains(key);
  return value && value->is_bool() && value->as_bool();
}

// The same table locally and remotely (with --server, an ENABLED column: what the caller sees).
void print_plugin_table(const boost::json::array& views, bool with_enabled) {
  std::vector<std::string> headers{"NAME", "STATE", "SKILLS", "VERSION", "DETAILS"};
  if (with_enabled) headers.insert(headers.begin() + 2, "ENABLED");
  Table table(headers, 90);
  for (const auto& item : views) {
    const auto& view = item.as_object();
    std::string details = member(view, "error");
    const auto* warnings = view.if_contains("warnings");
    if (details.empty() && warnings && warnings->is_array() && !warnings->as_array().empty() &&
        warnings->as_array().front().is_string())
      details = "warning: " + std::string(warnings->as_array().front().as_string());
    if (details.empty()) details = member(view, "displayName");
    std::string skills;
    if (const auto* count = view.if_contains("skills"); count && count->is_number())
      skills = std::to_string(count->to_number<std::int64_t>());
    std::vector<std::string> row{member(view, "name"), member(view, "state"), skills,
                                 member(view, "version"), details};
    if (with_enabled) row.insert(row.begin() + 2, flag(view, "enabled") ? "yes" : "no");
    table.add(std::move(row));
  }
  table.print(std::cout);
}

void print_plugin(const boost::json::object& view) {
  std::cout << member(view, "name") << " — " << member(view, "displayName") << "\n"
            << "  state:    " << member(view, "state") << "\n";
  if (const auto* enabled = view.if_contains("enabled"); enabled && enabled->is_bool())
    std::cout << "  enabled:  " << (enabled->as_bool() ? "yes" : "no") << "\n";
  std::cout << "  version:  " << member(view, "version") << "\n"
            << "  manifest: " << member(view, "manifest") << "\n";
  if (!member(view, "health").empty())
    std::cout << "  health:   " << member(view, "health") << "\n";
  if (!member(view, "error").empty()) std::cout << "  error:    " << member(view, "error") << "\n";
  if (const auto* warnings = view.if_contains("warnings"); warnings && warnings->is_array())
    for (const auto& warning : warnings->as_array())
      if (warning.is_string())
        std::cout << "  warning:  " << std::string_view(warning.as_string()) << "\n";
  if (!member(view, "description").empty())
    std::cout << "\n" << member(view, "description") << "\n";
  const auto array = [&](std::string_view key) {
    const auto* value = view.if_contains(key);
    return value && value->is_array() ? value->as_array() : boost::json::array();
  };
  for (const auto& library : array("libraries")) {
    const auto& lib = library.as_object();
    std::cout << "\nLibrary " << member(lib, "path") << " (plugin " << member(lib, "version")
              << ", SDK " << member(lib, "sdkVersion") << ", ABI " << member(lib, "abi") << ")\n";
    if (member(lib, "placement") == "process")
      std::cout << "  runs in a sandboxed secpilot-runner process\n";
  }
  if (!array("settings").empty()) {
    std::cout << "\nSettings:\n";
    Table settings({"NAME", "TYPE", "REQUIRED", "VALUE"});
    for (const auto& item : array("settings")) {
      const auto& s = item.as_object();
      std::string value = flag(s, "set") ? "(set)" : "(not set)";
      if (s.contains("value")) value = member(s, "value");
      settings.add(
          {member(s, "name"), member(s, "type"), flag(s, "required") ? "yes" : "no", value});
    }
    settings.print(std::cout);
  }
  std::cout << "\nSkills:\n";
  Table skills({"SKILL", "FORMAT", "STATUS"}, 100);
  for (const auto& item : array("skills")) {
    const auto& s = item.as_object();
    skills.add({member(s, "name"), member(s, "format"),
                flag(s, "available") ? "ready" : member(s, "unavailableReason")});
  }
  skills.print(std::cout);
  if (!array("diagnostics").empty()) {
    std::cout << "\nManifest diagnostics:\n";
    for (const auto& d : array("diagnostics"))
      if (d.is_string()) std::cout << "  " << std::string_view(d.as_string()) << "\n";
  }
}

// --- list and show: local or remote --------------------------------------------------------------

void list_plugins(const GlobalOptions& options, int& exit_code) {
  if (options.remote()) {
    auto client = RemoteClient::connect(options, exit_code);
    if (!client) return;
    auto reply = client->json("GET", "/v1/plugins", exit_code);
    if (!reply) return;
    const auto* value = reply->is_object() ? reply->as_object().if_contains("value") : nullptr;
    const auto views = value && value->is_array() ? value->as_array() : boost::json::array();
    if (options.json) {
      print_json(views);
      return;
    }
    if (views.empty()) {
      std::cout << "The daemon has no plugins.\n";
      return;
    }
    print_plugin_table(views, true);
    return;
  }
  auto host = make_host(options, exit_code);
  if (!host) return;
  boost::json::array views;
  for (const auto& record : host->plugins())
    views.push_back(plugin::describe_plugin(record, host->catalog(), false));
  if (options.json) {
    print_json(views);
    return;
  }
  if (views.empty()) {
    std::cout << "No plugins found in the plugin folders; pass --plugins-dir DIR.\n";
    return;
  }
  print_plugin_table(views, false);
}

void show_plugin(const GlobalOptions& options, const std::string& name, int& exit_code) {
  const std::string hint = " — `secpilot plugins list` shows what is loaded";
  boost::json::object view;
  if (options.remote()) {
    auto client = RemoteClient::connect(options, exit_code);
    if (!client) return;
    auto result = client->send("GET", "/v1/plugins/" + path_segment(name));
    if (auto* failure = std::get_if<ApiFailure>(&result)) {
      if (failure->exit_code == kNotFound) failure->message += hint;
      client->report(*failure, exit_code);
      return;
    }
    auto& reply = std::get<ApiReply>(result);
    if (reply.json.is_object()) view = std::move(reply.json.as_object());
  } else {
    auto host = make_host(options, exit_code);
    if (!host) return;
    const auto* record = host->plugin(name);
    if (!record) {
      print_error(options, "not_found", "no plugin named '" + name + "'" + hint);
      exit_code = kNotFound;
      return;
    }
    view = plugin::describe_plugin(*record, host->catalog(), true);
  }
  if (options.json) {
    print_json(view);
    return;
  }
  print_plugin(view);
}

// --- enable and disable (remote) -----------------------------------------------------------------

struct ToggleArgs {
  std::string name;
  std::string scope = "user";
};

void toggle_plugin(const GlobalOptions& options, const ToggleArgs& args, bool enable,
                   int& exit_code) {
  auto client = require_remote(options, enable ? "plugins enable" : "plugins disable", exit_code);
  if (!client) return;
  const boost::json::value body = {{"scope", args.scope}};
  auto reply = client->json(
      "POST", "/v1/plugins/" + path_segment(args.name) + (enable ? ":enable" : ":disable"),
      exit_code, &body);
  if (!reply) return;
  if (options.json) {
    print_json(*reply);
    return;
  }
  const std::string name = text_of(*reply, "name", args.name);
  std::cout << (enable ? "Enabled " : "Disabled ") << name
            << (args.scope == "organization" ? " for the whole organisation" : " for you") << ".\n";
  const auto* object = reply->if_object();
  const auto* effective = object ? object->if_contains("enabled") : nullptr;
  if (effective && effective->is_bool() && effective->as_bool() != enable)
    std::cout << "Note: " << name << " stays " << (effective->as_bool() ? "enabled" : "disabled")
              << " for you: a choice at the other scope takes precedence.\n";
}

// --- settings (remote) ---------------------------------------------------------------------------

struct SettingsArgs {
  std::string name;
  std::vector<std::string> set;
  std::vector<std::string> secret;
  std::vector<std::string> unset;
};

// A secret's value from stdin: typed without echo on a terminal, else the first line of the pipe.
std::optional<std::string> read_secret(const std::string& name) {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << "Value for secret " << name << ": " << std::flush;
    if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  }
  std::string value;
  const bool got = static_cast<bool>(std::getline(std::cin, value));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!got) return std::nullopt;
  if (!value.empty() && value.back() == '\r') value.pop_back();
  return value;
}

void plugin_settings(const GlobalOptions& options, const SettingsArgs& args, int& exit_code) {
  auto client = require_remote(options, "plugins settings", exit_code);
  if (!client) return;
  const std::string path = "/v1/plugins/" + path_segment(args.name) + "/settings";
  auto reply = client->json("GET", path, exit_code);
  if (!reply) return;
  const auto* value = reply->is_object() ? reply->as_object().if_contains("value") : nullptr;
  const auto declared = value && value->is_array() ? value->as_array() : boost::json::array();

  if (args.set.empty() && args.secret.empty() && args.unset.empty()) {
    if (options.json) {
      print_json(declared);
      return;
    }
    if (declared.empty()) {
      std::cout << args.name << " has no settings.\n";
      return;
    }
    // VALUE: what the daemon stored (never a secret's), else whether one applies at all (from
    // its config or the manifest's default).
    Table table({"NAME", "TYPE", "REQUIRED", "SECRET", "VALUE", "DEFAULT", "DESCRIPTION"}, 60);
    for (const auto& item : declared) {
      const auto& s = item.as_object();
      std::string shown = flag(s, "set") ? "(set)" : "(not set)";
      if (s.contains("value")) shown = member(s, "value");
      table.add({member(s, "name"), member(s, "type"), flag(s, "required") ? "yes" : "no",
                 flag(s, "secret") ? "yes" : "no", shown, member(s, "default"),
                 member(s, "description")});
    }
    table.print(std::cout);
    return;
  }

  // Changes: each name must be declared (matched case-insensitively, sent as declared), secrets
  // go with --secret and plain settings with --set, and a name appears once.
  const auto usage = [&](const std::string& message) {
    print_error(options, "invalid_input", message);
    exit_code = kUsage;
  };
  const auto find = [&](std::string_view name) -> const boost::json::object* {
    for (const auto& item : declared) {
      const auto& s = item.as_object();
      const std::string declared_name = member(s, "name");
      if (declared_name.size() == name.size() &&
          ::strncasecmp(declared_name.c_str(), name.data(), name.size()) == 0)
        return &s;
    }
    return nullptr;
  };
  std::string known;
  for (const auto& item : declared)
    known += (known.empty() ? "" : ", ") + member(item.as_object(), "name");
  boost::json::object settings, secrets;
  std::set<std::string> seen;
  std::vector<std::string> summary;
  const auto take = [&](const std::string& item, bool secret, bool remove) -> bool {
    const auto equals = item.find('=');
    std::string name = remove ? item : item.substr(0, equals);
    if (name.empty() || (remove && equals != std::string::npos) ||
        (!remove && !secret && equals == std::string::npos)) {
      usage(remove   ? "--unset takes a setting name, without a value"
            : secret ? "--secret takes NAME=VALUE, or NAME to read the value from stdin"
                     : "--set '" + item + "' must look like NAME=VALUE");
      return false;
    }
    const auto* s = find(name);
    if (!s) {
      usage(args.name + " has no setting named '" + name + "'" +
            (known.empty() ? " (it has no settings)" : " (its settings: " + known + ")"));
      return false;
    }
    name = member(*s, "name");
    if (!seen.insert(name).second) {
      usage(name + " is given more than once");
      return false;
    }
    if (!remove && flag(*s, "secret") != secret) {
      usage(secret ? name + " is not a secret: set it with --set " + name + "=VALUE"
                   : name + " is a secret: set it with --secret " + name +
                         " (the value is read from stdin, so it stays out of the shell history)");
      return false;
    }
    if (remove) {
      (flag(*s, "secret") ? secrets : settings)[name] = nullptr;
      summary.push_back("unset " + name);
      return true;
    }
    std::string text;
    if (equals != std::string::npos) {
      text = item.substr(equals + 1);
    } else {
      auto read = read_secret(name);
      if (!read) {
        usage("no value for secret " + name + " on stdin");
        return false;
      }
      text = std::move(*read);
    }
    (secret ? secrets : settings)[name] = text;
    summary.push_back(secret ? "secret " + name + " set" : "set " + name + "=" + text);
    return true;
  };
  for (const auto& item : args.unset)
    if (!take(item, false, true)) return;
  for (const auto& item : args.set)
    if (!take(item, false, false)) return;
  for (const auto& item : args.secret)
    if (!take(item, true, false)) return;

  boost::json::object body;
  if (!settings.empty()) body["settings"] = std::move(settings);
  if (!secrets.empty()) body["secrets"] = std::move(secrets);
  const boost::json::value request = std::move(body);
  auto changed = client->json("PUT", path, exit_code, &request);
  if (!changed) return;
  if (options.json) {
    print_json(*changed);
    return;
  }
  std::cout << "Updated " << text_of(*changed, "plugin", args.name) << ":";
  for (std::size_t i = 0; i < summary.size(); ++i)
    std::cout << (i ? "; " : " ") << summary[i];
  std::cout << ".\n";
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
  add_plugins_verify_command(*plugins, options, exit_code);

  for (const bool enable : {true, false}) {
    auto args = std::make_shared<ToggleArgs>();
    auto* toggle = plugins->add_subcommand(
        enable ? "enable" : "disable",
        enable ? "Enable a plugin for you or the organisation (needs --server)"
               : "Disable a plugin for you or the organisation (needs --server)");
    toggle->add_option("NAME", args->name, "Plugin name")->required();
    toggle
        ->add_option("--scope", args->scope,
                     "user (default: only you) or organization (everyone; owners only)")
        ->check(CLI::IsMember({"user", "organization"}));
    toggle->callback(
        [&options, &exit_code, args, enable] { toggle_plugin(options, *args, enable, exit_code); });
  }

  auto settings_args = std::make_shared<SettingsArgs>();
  auto* settings = plugins->add_subcommand(
      "settings",
      "Show a plugin's settings (secrets only as set/not set), or change them "
      "(needs --server; changes need the owner role)");
  settings->add_option("NAME", settings_args->name, "Plugin name")->required();
  // One value per occurrence (not greedy), so that NAME may also come after them.
  settings->add_option("--set", settings_args->set, "Set a plain setting: NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  settings
      ->add_option("--secret", settings_args->secret,
                   "Set a secret: NAME=VALUE, or NAME alone to read the value from stdin "
                   "(repeatable; never shown again)")
      ->allow_extra_args(false);
  settings
      ->add_option("--unset", settings_args->unset,
                   "Remove a stored value (repeatable); the manifest's default applies again")
      ->allow_extra_args(false);
  settings->callback([&options, &exit_code, settings_args] {
    plugin_settings(options, *settings_args, exit_code);
  });
}

}  // namespace secpilot::cli
