// The promptbooks found in folders: each YAML or JSON document with Name and Steps, linted. One
// with errors is listed as broken with its diagnostics, never loaded, and never fatal.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/promptbook/promptbook.hpp"

namespace secpilot::promptbook {

// One promptbook file that was found.
struct PromptbookFile {
  std::filesystem::path path;
  std::string name;                              // its Name, or the file's stem when it has none
  std::shared_ptr<const Promptbook> promptbook;  // null when broken
  std::string error;                    // why it is broken, with how to fix it; empty when not
  std::vector<Diagnostic> diagnostics;  // parse and lint findings (only warnings when loaded)

  bool broken() const noexcept { return promptbook == nullptr; }
};

class Registry {
 public:
  Registry() = default;
  // Searches `dirs` recursively for .yaml, .yml and .json files. With a catalog, direct calls are
  // linted against it too, so a promptbook that calls a missing skill is broken.
  explicit Registry(const std::vector<std::filesystem::path>& dirs,
                    const skills::Catalog* catalog = nullptr);

  // Usable promptbooks, sorted by name (case-insensitively).
  std::vector<std::shared_ptr<const Promptbook>> list() const;
  // By Name, case-insensitively; null when none is usable by that name.
  std::shared_ptr<const Promptbook> find(std::string_view name) const;
  // The usable promptbook's name closest to an unknown one (a plausible typo), or empty: for
  // "did you mean" messages.
  std::string suggest(std::string_view name) const;
  // Every promptbook file found, broken ones included, in path order.
  const std::vector<PromptbookFile>& files() const noexcept { return files_; }

 private:
  void add(const std::filesystem::path& path, const skills::Catalog* catalog);

  std::vector<PromptbookFile> files_;
};

}  // namespace secpilot::promptbook
