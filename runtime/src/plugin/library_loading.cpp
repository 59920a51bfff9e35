#include "plugin/library_loading.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <boost/json/parse.hpp>
#include <cstring>

#include "plugin/library_checks.hpp"
#include "plugin/library_files.hpp"
#include "secpilot/util/ascii.hpp"
#include "secpilot/util/json_schema.hpp"

namespace secpilot::plugin {
namespace {

std::string abi_text(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string text_or(const char* text, const char* fallback) {
  return text ? text : fallback;
}

// Maps the library and keeps it mapped for the life of the process: unloading code that may
// still own thread-local destructors or callbacks is never safe (see docs/architecture.md).
Expected<sp_entry_fn> map_library(const std::filesystem::path& path) {
  boost::dll::shared_library library;
  boost::system::error_code error;
  library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
  if (error) {
    const char* reason = ::dlerror();
    return make_error(Status::unsupported, "cannot load " + path.filename().string() + ": " +
                                               (reason ? reason : error.message()));
  }
  // Pin it: RTLD_NODELETE on the already-open handle, so no later dlclose can unmap it.
  ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  if (!library.has(SP_ENTRY_SYMBOL))
    return make_error(Status::unsupported,
                      path.filename().string() +
                          " does not export " SP_ENTRY_SYMBOL
                          " — build it with secpilot_add_plugin() (or mark the "
                          "function SP_EXPORT) and check it with `nm -D`");
  auto entry = library.get<const sp_plugin*(uint16_t, uint16_t)>(SP_ENTRY_SYMBOL);
  return static_cast<sp_entry_fn>(entry);
}

}  // namespace

std::vector<std::string> declared_skill_names(const manifest::SkillGroup& group) {
  std::vector<std::string> names;
  names.reserve(group.skills.size());
  for (const auto& skill : group.skills)
    names.push_back(skill.name);
  return names;
}

Expected<CheckedLibrary> check_library(const manifest::Manifest& manifest,
                                       const manifest::SkillGroup& group,
                                       const LoadOptions& options) {
  if (!group.native || group.native->library.empty())
    return make_error(Status::invalid_input,
                      "the Native skill group names no Library — add Settings: {Library: "
                      "libname.so} to the group");
  const auto& native = *group.native;
  std::filesystem::path path = native.library;
  if (path.is_relative()) path = manifest.directory() / path;
  path = path.lexically_normal();

  if (!std::filesystem::exists(path))
    return make_error(Status::not_found, "plugin library " + path.string() +
                                             " not found — build the plugin, or fix Library in " +
                                             manifest.path.string());
  if (auto done = check_file_trust(path, options.allow_writable); !done) return done.error();
  if (auto done = check_pinned_sha256(path, native.sha256); !done) return done.error();
  if (auto done = check_manifest_abi(native.abi); !done) return done.error();

  // Checked above is `path`; a replaced library is mapped from a private copy, whose pin is
  // checked again since the copy is what runs.
  auto mapped_path = loadable_path(path);
  if (!mapped_path) return mapped_path.error();
  if (*mapped_path != path)
    if (auto done = check_pinned_sha256(*mapped_path, native.sha256); !done) return done.error();
  return CheckedLibrary{path, *mapped_path, native.sha256};
}

Expected<OpenedLibrary> open_library(const std::filesystem::path& map_path, const std::string& file,
                                     const std::string& plugin_name,
                                     const std::vector<std::string>& declared_skills) {
  auto entry = map_library(map_path);
  if (!entry) return entry.error();
  const sp_plugin* raw = (*entry)(SP_ABI_MAJOR, SP_ABI_MINOR);
  if (!raw)
    return make_error(Status::unsupported,
                      file + " refused to load on host ABI " +
                          abi_text(SP_ABI_MAJOR, SP_ABI_MINOR) +
                          " (its entry point returned NULL) — use a build of the plugin for this "
                          "ABI");

  OpenedLibrary opened;
  constexpr std::size_t needed = offsetof(sp_plugin, skills) + sizeof(const sp_skill*);
  if (raw->struct_size < offsetof(sp_plugin, abi_minor) + sizeof(uint16_t))
    return make_error(Status::unsupported, file + ": descriptor is too small (" +
                                               std::to_string(raw->struct_size) +
                                               " bytes) — not a secpilot plugin descriptor");
  const std::string sdk = raw->struct_size >= offsetof(sp_plugin, sdk_version) + sizeof(char*)
                              ? text_or(raw->sdk_version, "unknown")
                              : "unknown";
  if (raw->abi_major != SP_ABI_MAJOR || raw->abi_minor > SP_ABI_MINOR)
    return make_error(Status::unsupported,
                      file + " was built for plugin ABI " +
                          abi_text(raw->abi_major, raw->abi_minor) + " (SDK " + sdk +
                          ") but this host speaks ABI " + abi_text(SP_ABI_MAJOR, SP_ABI_MINOR) +
                          (raw->abi_major != SP_ABI_MAJOR
                               ? " — majors must match: rebuild the plugin with SDK " +
                                     std::to_string(SP_ABI_MAJOR) + ".x"
                               : " — upgrade secpilot, or rebuild the plugin with an SDK no "
                                 "newer than " +
                                     abi_text(SP_ABI_MAJOR, SP_ABI_MINOR)));
  if (raw->struct_size < needed)
    return make_error(Status::unsupported, file + ": descriptor is too small (" +
                                               std::to_string(raw->struct_size) + " bytes)");
  std::memcpy(&opened.descriptor, raw, std::min<std::size_t>(raw->struct_size, sizeof(sp_plugin)));
  const sp_plugin& d = opened.descriptor;
  if (!d.name || !d.version || !d.init || !d.destroy || (d.skill_count && !d.skills))
    return make_error(Status::unsupported,
                      file +
                          ": descriptor lacks a required member (name, version, "
                          "init, destroy or skills) — see plugin.h");
  if (!iequals_ascii(d.name, plugin_name))
    return make_error(Status::invalid_input, file + " is the plugin '" + d.name +
                                                 "' but the manifest names '" + plugin_name +
                                                 "' — make Descriptor.Name match");
  opened.identity.version = d.version;
  opened.identity.sdk_version = sdk;
  opened.identity.abi_version = abi_text(d.abi_major, d.abi_minor);

  for (std::size_t i = 0; i < d.skill_count; ++i) {
    const sp_skill& raw_skill = d.skills[i];
    sp_skill skill{};
    std::memcpy(&skill, &raw_skill, std::min<std::size_t>(raw_skill.struct_size, sizeof skill));
    if (!skill.name || !skill.invoke)
      return make_error(Status::unsupported, file + ": skill #" + std::to_string(i) +
                                                 " has no name or no invoke function");
    opened.skills.push_back(skill);
  }

  // Every skill the manifest declares must be implemented; extra ones are only warned about.
  auto implemented = [&](std::string_view name) {
    return std::any_of(opened.skills.begin(), opened.skills.end(),
                       [&](const sp_skill& s) { return name == s.name; });
  };
  std::string missing;
  for (const auto& declared : declared_skills)
    if (!implemented(declared)) missing += (missing.empty() ? "" : ", ") + declared;
  if (!missing.empty())
    return make_error(Status::unsupported,
                      file + " does not implement skill(s) the manifest declares: " + missing +
                          " — implement them or remove them from the manifest");
  for (const auto& skill : opened.skills)
    if (std::find(declared_skills.begin(), declared_skills.end(), skill.name) ==
        declared_skills.end())
      opened.identity.warnings.push_back(std::string("skill '") + skill.name +
                                         "' is implemented but not declared in the manifest; "
                                         "it is not callable until it is");
  return opened;
}

Outcome check_config(const char* config_schema, const std::string& config,
                     const std::string& file) {
  if (!config_schema) return Done{};
  boost::system::error_code error;
  auto schema_json = boost::json::parse(config_schema, error);
  if (error)
    return make_error(Status::unsupported, file + ": its config_schema is not JSON (" +
                                               error.message() +
                                               ") — a plugin bug: fix the schema in the plugin");
  auto schema = JsonSchema::compile(schema_json);
  if (!schema)
    return make_error(
        Status::unsupported,
        file + ": its config_schema is not a valid JSON Schema: " + schema.error().message);
  auto problems = schema->validate(boost::json::parse(config));
  if (problems.empty()) return Done{};
  std::string message = "the plugin's settings do not match its configuration schema: ";
  for (std::size_t i = 0; i < problems.size() && i < 5; ++i)
    message += (i ? "; " : "") + problems[i];
  return make_error(Status::invalid_input,
                    message + " — fix them under plugins: in the settings file");
}

}  // namespace secpilot::plugin
