// The steps of loading a Native library that the daemon (in process) and secpilot-runner (in its
// sandbox) share: the checks before any plugin code runs, mapping the file, and reading its
// descriptor against what the manifest declares.
#pragma once

#include <secpilot/plugin.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "secpilot/manifest/manifest.hpp"
#include "secpilot/plugin/native_library.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::plugin {

// Existence, file trust, the pinned SHA-256 and the declared ABI of the group's library, then the
// file to map: the library itself, or a private copy when it was replaced since it was first
// mapped (library_files.hpp), whose pin is checked again. No plugin code runs here.
struct CheckedLibrary {
  std::filesystem::path path;      // as the manifest names it, absolute
  std::filesystem::path map_path;  // what to hand the dynamic loader
  std::optional<std::string> sha256;
};
Expected<CheckedLibrary> check_library(const manifest::Manifest& manifest,
                                       const manifest::SkillGroup& group,
                                       const LoadOptions& options);

// A mapped library's descriptor, checked: ABI versions, required members, the plugin's name
// against the manifest's, every declared skill implemented (extra ones become warnings).
struct OpenedLibrary {
  sp_plugin descriptor{};
  std::vector<sp_skill> skills;
  LibraryIdentity identity;  // library_path left to the caller
};
Expected<OpenedLibrary> open_library(const std::filesystem::path& map_path, const std::string& file,
                                     const std::string& plugin_name,
                                     const std::vector<std::string>& declared_skills);

// plugin.h promises init a config already checked against the plugin's config_schema.
Outcome check_config(const char* config_schema, const std::string& config, const std::string& file);

// The names of a group's declared skills, in manifest order.
std::vector<std::string> declared_skill_names(const manifest::SkillGroup& group);

}  // namespace secpilot::plugin
