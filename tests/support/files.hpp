// Small file helpers for tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace secpilot::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Copies a built plugin folder (library + manifest) into `target`, for tests that alter it.
inline std::filesystem::path copy_plugin(const std::string& name,
                                         const std::filesystem::path& target) {
  const auto from = std::filesystem::path(SECPILOT_BINARY_DIR) / "test-plugins" / name;
  const auto to = target / name;
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
  return to;
}

inline std::filesystem::path test_plugins(const std::string& name) {
  return std::filesystem::path(SECPILOT_BINARY_DIR) / "test-plugins" / name;
}

}  // namespace secpilot::testing
