// `secpilot plugins verify`: every check the host makes before loading a plugin, with its state,
// for each plugin in the local plugin folders. Runs no plugin code (nothing is loaded).
#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fstream>
#include <iostream>

#include "cli_context.hpp"
#include "plugin/library_checks.hpp"
#include "secpilot/manifest/parser.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::cli {
namespace {

// Plugin folders also hold data files in YAML or JSON: a document is a manifest when it has a
// Descriptor or SkillGroups key, and a file that does not parse is reported when it names one.
// (PluginHost's discovery applies the same rule.)
bool is_plugin_manifest(const manifest::ParseResult& parsed, const std::filesystem::path& path) {
  if (parsed.manifest) {
    if (!parsed.manifest->raw.is_object()) return false;
    for (const auto& [key, value] : parsed.manifest->raw.as_object()) {
      (void)value;
      if (iequals_ascii(key, "Descriptor") || iequals_ascii(key, "SkillGroups")) return true;
    }
    return false;
  }
  std::ifstream file(path, std::ios::binary);
  std::string text(64 * 1024, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text = to_lower_ascii(text.substr(0, static_cast<std::size_t>(file.gcount())));
  return text.find("descriptor") != std::string::npos ||
         text.find("skillgroups") != std::string::npos;
}

struct Verified {
  std::string name;
  std::filesystem::path manifest;
  plugin::PluginVerification result;
  bool passed() const { return static_cast<bool>(result.outcome()); }
};

Verified verify_file(const std::filesystem::path& path, const manifest::ParseResult& parsed,
                     const config::Settings& settings) {
  Verified out{path.stem().string(), path, {}};
  plugin::Check parses{"manifest parses", plugin::CheckState::pass, path.string()};
  for (const auto& diagnostic : parsed.diagnostics)
    if (diagnostic.severity == manifest::Severity::Error) {
      parses.state = plugin::CheckState::fail;
      parses.status = Status::invalid_input;
      parses.detail = manifest::format_diagnostic(diagnostic) + " (run `secpilot manifest lint " +
                      path.string() + "` for every problem)";
      break;
    }
  if (parsed.manifest) {
    if (!parsed.manifest->descriptor.name.empty()) out.name = parsed.manifest->descriptor.name;
    out.result = plugin::verify_plugin(*parsed.manifest, settings);
  } else if (parses.state == plugin::CheckState::pass) {
    parses = {"manifest parses", plugin::CheckState::fail, "cannot read " + path.string(),
              Status::not_found};
  }
  out.result.checks.insert(out.result.checks.begin(), std::move(parses));
  return out;
}

std::string pad(std::string_view text, std::size_t width) {
  std::string out(text);
  out.resize(std::max(width, text.size()), ' ');
  return out;
}

void print_text(const std::vector<Verified>& plugins) {
  std::size_t failed = 0;
  for (const auto& plugin : plugins) {
    std::size_t width = 0;
    for (const auto& check : plugin.result.checks)
      width = std::max(width, check.name.size());
    std::cout << plugin.name << "  " << plugin.manifest.string() << '\n';
    for (const auto& check : plugin.result.checks)
      std::cout << "  " << pad(plugin::check_state_name(check.state), 6)
                << pad(check.name, width + 2) << check.detail << '\n';
    std::cout << "  => " << (plugin.passed() ? "passed" : "FAILED") << "\n\n";
    failed += plugin.passed() ? 0 : 1;
  }
  std::cout << plugins.size() << " plugin(s) verified: " << plugins.size() - failed << " passed, "
            << failed << " failed.\n";
}

boost::json::value to_json(const Verified& plugin) {
  boost::json::array checks;
  for (const auto& check : plugin.result.checks)
    checks.push_back(boost::json::object{{"name", check.name},
                                         {"state", plugin::check_state_name(check.state)},
                                         {"detail", check.detail}});
  boost::json::array libraries;
  for (const auto& library : plugin.result.libraries) {
    boost::json::object item{{"path", library.path.string()}};
    item["sha256"] = library.actual ? boost::json::value(*library.actual) : nullptr;
    item["pinned"] = library.pinned ? boost::json::value(*library.pinned) : nullptr;
    libraries.push_back(std::move(item));
  }
  boost::json::object out{{"name", plugin.name},
                          {"manifest", plugin.manifest.string()},
                          {"passed", plugin.passed()},
                          {"checks", std::move(checks)},
                          {"libraries", std::move(libraries)},
                          {"trusted", plugin.result.trust.trusted},
                          {"trusted_by", plugin.result.trust.by}};
  if (const auto& isolation = plugin.result.isolation) {
    out["isolation"] = config::isolation_mode_name(isolation->mode);
    out["isolation_reason"] = isolation->why;
  } else {
    out["isolation"] = nullptr;
  }
  return out;
}

void verify_plugins(const GlobalOptions& options, int& exit_code) {
  if (options.remote()) {
    print_error(options, "invalid_input",
                "plugins verify checks the files on this machine — run it where the plugins are, "
                "without --server");
    exit_code = kUsage;
    return;
  }
  auto settings = load_settings(options, exit_code);
  if (!settings) return;
  const auto dirs = plugin_dirs(options);
  if (dirs.empty()) {
    print_error(options, "not_found",
                "no plugin folder: pass --plugins-dir DIR or set SECPILOT_PLUGINS_DIR");
    exit_code = kNotFound;
    return;
  }
  std::vector<Verified> plugins;
  for (const auto& path : plugin::find_manifest_files(dirs)) {
    auto parsed = manifest::parse_manifest_file(path);
    if (is_plugin_manifest(parsed, path)) plugins.push_back(verify_file(path, parsed, *settings));
  }
  const bool all_passed =
      std::all_of(plugins.begin(), plugins.end(), [](const auto& p) { return p.passed(); });
  if (options.json) {
    boost::json::array out;
    for (const auto& plugin : plugins)
      out.push_back(to_json(plugin));
    print_json(out);
  } else {
    print_text(plugins);
  }
  exit_code = all_passed ? kOk : kFailed;
}

}  // namespace

void add_plugins_verify_command(CLI::App& plugins, GlobalOptions& options, int& exit_code) {
  plugins
      .add_subcommand("verify",
                      "Check every plugin's files before trusting them: manifest and library "
                      "owner and mode, SHA-256 pins, ABI, trust and isolation (exit 1 if any "
                      "check fails)")
      ->callback([&] { verify_plugins(options, exit_code); });
}

}  // namespace secpilot::cli
