// Test helpers: the prepared host trees under tests/data, copied into a fresh temporary folder
// with fixed permissions (git keeps neither modes nor set-ID bits), and lookups of one check.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "posture/check.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace posture {

// Readable values in failure messages.
inline void PrintTo(Status status, std::ostream* out) {
  *out << to_string(status);
}
inline void PrintTo(Severity severity, std::ostream* out) {
  *out << to_string(severity);
}

}  // namespace posture

namespace posture::testing {

namespace fs = std::filesystem;

inline fs::path data_tree(const std::string& name) {
  return fs::path(POSTURE_SOURCE_DIR) / "tests" / "data" / name;
}

// A copy of tests/data/<name> (or an empty root when name is empty): folders 0755, files 0644,
// symbolic links kept as links.
class StagedTree {
 public:
  explicit StagedTree(const std::string& name = "") {
    root_ = temp_.path() / "root";
    fs::create_directories(root_ / "etc");
    if (name.empty()) return;
    fs::copy(data_tree(name), root_,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks |
                 fs::copy_options::overwrite_existing);
    for (const auto& entry : fs::recursive_directory_iterator(root_)) {
      if (entry.is_symlink()) continue;
      ::chmod(entry.path().c_str(), entry.is_directory() ? 0755 : 0644);
    }
  }
  const fs::path& root() const { return root_; }
  fs::path operator/(const std::string& relative) const { return root_ / relative; }

  // Writes a file (creating its folders) and gives it `mode`.
  fs::path write(const std::string& relative, const std::string& text, mode_t mode = 0644) const {
    const fs::path path = root_ / relative;
    secpilot::testing::write_file(path, text);
    ::chmod(path.c_str(), mode);
    return path;
  }

 private:
  secpilot::testing::TempDir temp_;
  fs::path root_;
};

// A copy, so that it may be taken from a temporary list of checks.
inline CheckResult find_check(const std::vector<CheckResult>& checks, const std::string& id) {
  auto found = std::find_if(checks.begin(), checks.end(),
                            [&](const CheckResult& check) { return check.id == id; });
  if (found == checks.end()) {
    ADD_FAILURE() << "no check " << id;
    return {};
  }
  return *found;
}

// All evidence of a check as one text, for "mentions" assertions with a readable failure.
inline std::string evidence_text(const CheckResult& check) {
  std::string text;
  for (const auto& item : check.evidence)
    text +=
        item.file + ":" + std::to_string(item.line) + " " + item.value + " (" + item.note + ")\n";
  return text;
}

inline bool has_evidence(const CheckResult& check, const std::string& file, int line) {
  return std::any_of(check.evidence.begin(), check.evidence.end(),
                     [&](const Evidence& item) { return item.file == file && item.line == line; });
}

}  // namespace posture::testing
