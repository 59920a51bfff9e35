#include "secpilot/promptbook/registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "manifest/text.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::promptbook {
namespace {

// Folders also hold manifests and data files: a parsed document is a promptbook when it has Name
// and Steps at the top.
bool looks_like_promptbook(const ParseResult& parsed) {
  return parsed.promptbook && parsed.promptbook->fields.contains("Name") &&
         parsed.promptbook->fields.contains("Steps");
}

// For a file that does not even parse: one that names a Steps key is reported as a broken
// promptbook; anything else is not ours to judge.
bool mentions_steps(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::string text(64 * 1024, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  text = to_lower_ascii(text);
  return text.find("steps:") != std::string::npos || text.find("\"steps\"") != std::string::npos;
}

std::size_t error_count(const std::vector<Diagnostic>& diagnostics) {
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

}  // namespace

Registry::Registry(const std::vector<std::filesystem::path>& dirs, const skills::Catalog* catalog) {
  for (const auto& dir : dirs)
    if (!std::filesystem::is_directory(dir))
      spdlog::warn("promptbook folder {} does not exist or is not a folder", dir.string());
  // The same walk as for plugin manifests: recursive, .yaml/.yml/.json, in a stable order.
  for (const auto& path : plugin::find_manifest_files(dirs))
    add(path, catalog);
}

void Registry::add(const std::filesystem::path& path, const skills::Catalog* catalog) {
  ParseResult parsed = parse_promptbook_file(path);
  if (parsed.promptbook ? !looks_like_promptbook(parsed) : !mentions_steps(path)) {
    spdlog::debug("{}: not a promptbook (no Name and Steps), skipped", path.string());
    return;
  }
  PromptbookFile file;
  file.path = path;
  file.diagnostics = std::move(parsed.diagnostics);
  if (parsed.promptbook) {
    auto found = lint(*parsed.promptbook, catalog);
    file.diagnostics.insert(file.diagnostics.end(), found.begin(), found.end());
    file.name = parsed.promptbook->name;
  }
  if (file.name.empty()) file.name = path.stem().string();

  const auto first_error =
      std::find_if(file.diagnostics.begin(), file.diagnostics.end(),
                   [](const Diagnostic& d) { return d.severity == Severity::Error; });
  if (first_error != file.diagnostics.end()) {
    file.error = "promptbook has " + std::to_string(error_count(file.diagnostics)) +
                 " error(s); first: " + manifest::format_diagnostic(*first_error) +
                 " (run `secpilot promptbook lint " + path.string() + "` for all)";
  } else if (find(file.name)) {
    file.error = "another file, " + find(file.name)->path.string() +
                 ", already defines promptbook " + file.name + " — remove one, or rename its Name";
  } else {
    file.promptbook = std::make_shared<const Promptbook>(std::move(*parsed.promptbook));
  }
  if (file.broken()) spdlog::info("promptbook {} not loaded: {}", file.name, file.error);
  files_.push_back(std::move(file));
}

std::vector<std::shared_ptr<const Promptbook>> Registry::list() const {
  std::vector<std::shared_ptr<const Promptbook>> out;
  for (const auto& file : files_)
    if (!file.broken()) out.push_back(file.promptbook);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return to_lower_ascii(a->name) < to_lower_ascii(b->name);
  });
  return out;
}

std::shared_ptr<const Promptbook> Registry::find(std::string_view name) const {
  for (const auto& file : files_)
    if (!file.broken() && iequals_ascii(file.promptbook->name, name)) return file.promptbook;
  return nullptr;
}

std::string Registry::suggest(std::string_view name) const {
  std::vector<std::string_view> names;
  for (const auto& file : files_)
    if (!file.broken()) names.push_back(file.promptbook->name);
  return std::string(manifest::detail::nearest(name, names));
}

}  // namespace secpilot::promptbook
