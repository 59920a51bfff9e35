#include "plugin/library_checks.hpp"

#include <secpilot/plugin.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "secpilot/util/sha256.hpp"

namespace secpilot::plugin {
namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Outcome as_outcome(const Check& check) {
  if (check.state != CheckState::fail) return Done{};
  return make_error(check.status, check.detail);
}

// Owner and mode of one file or folder; `what` names it in messages ("plugin library").
Check owner_and_mode(const std::filesystem::path& path, bool allow_writable, const char* what) {
  Check check{std::string(what) + " owner and mode", CheckState::pass, {}};
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    return {check.name, CheckState::fail,
            std::string(what) + " " + path.string() + ": " + std::strerror(errno),
            Status::not_found};
  const bool ours = info.st_uid == ::geteuid();
  if (info.st_uid != 0 && !ours)
    return {check.name, CheckState::fail,
            std::string(what) + " " + path.string() + " is owned by uid " +
                std::to_string(info.st_uid) +
                ", neither root nor this user — anyone who owns it can change it: run `chown " +
                "root " + path.string() + "` (or chown it to the user secpilot runs as)"};
  if (info.st_mode & (S_IWGRP | S_IWOTH)) {
    const std::string detail = std::string(what) + " " + path.string() + " is writable by " +
                               ((info.st_mode & S_IWOTH) ? "others" : "its group") + " (mode " +
                               octal_mode(info.st_mode) + ")";
    if (!allow_writable)
      return {check.name, CheckState::fail,
              detail + " — run `chmod go-w " + path.string() +
                  "`, or set security.allow_writable_plugins: true in the settings file"};
    return {check.name, CheckState::warn,
            detail + ", accepted because security.allow_writable_plugins is true"};
  }
  check.detail = "mode " + octal_mode(info.st_mode) + ", owned by " +
                 (info.st_uid == 0 ? std::string("root")
                                   : "this user (uid " + std::to_string(info.st_uid) + ")");
  return check;
}

std::filesystem::path folder_of(const std::filesystem::path& file) {
  return file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
}

// The pin, or its absence (refused under require_pinned unless trusted by name or content).
Check pin_check(const LibraryDigest& library, const config::Settings& settings,
                const TrustDecision& trust, const std::string& manifest_path) {
  const std::string file = library.path.filename().string();
  Check check{file + " SHA-256", CheckState::pass, {}};
  if (!library.actual) {
    check.state = CheckState::fail;
    check.status = Status::not_found;
    check.detail = "cannot read " + library.path.string() + " to hash it";
    return check;
  }
  if (library.pinned) {
    if (auto done = check_pinned_sha256(library.path, library.pinned); !done) {
      check.state = CheckState::fail;
      check.detail = done.error().message;
    } else {
      check.detail = "pinned, matches " + *library.actual;
    }
    return check;
  }
  // The list shipped with secpilot pins the libraries built with it.
  if (trust.source == TrustDecision::Source::first_party) {
    check.detail = "first-party, in share/secpilot/first-party.sha256: " + *library.actual;
    return check;
  }
  const std::string add_pin = "add Sha256: " + *library.actual + " to the group's Settings in " +
                              manifest_path + " once you know where " + file +
                              " came from (`sha256sum " + library.path.string() + "`)";
  // Trust by name or by hash is a pin kept in the config; a publisher's needs the manifest's.
  const bool exempt =
      trust.source == TrustDecision::Source::name || trust.source == TrustDecision::Source::sha256;
  if (settings.require_pinned() && !exempt) {
    check.state = CheckState::fail;
    check.detail = file + " is not pinned and security.require_pinned is on — " + add_pin +
                   ", or list the plugin in security.trusted_plugins";
    return check;
  }
  check.state = CheckState::warn;
  check.detail = "not pinned; it is " + *library.actual + " — " + add_pin;
  return check;
}

}  // namespace

Outcome check_file_trust(const std::filesystem::path& library, bool allow_writable) {
  if (auto done = check_owner_and_mode(library, allow_writable, "plugin library"); !done)
    return done;
  return check_owner_and_mode(folder_of(library), allow_writable, "plugin folder");
}

Outcome check_owner_and_mode(const std::filesystem::path& path, bool allow_writable,
                             const char* what) {
  return as_outcome(owner_and_mode(path, allow_writable, what));
}

Outcome check_pinned_sha256(const std::filesystem::path& library,
                            const std::optional<std::string>& pinned) {
  if (!pinned) return Done{};
  auto actual = sha256_file_hex(library);
  if (!actual) return actual.error();
  if (*actual != *pinned)
    return make_error(Status::forbidden,
                      "SHA-256 of " + library.string() + " is " + *actual +
                          " but the manifest pins " + *pinned +
                          " — the library changed since it was pinned: verify where it came from "
                          "(`sha256sum " +
                          library.string() + "`), then update Sha256 in the manifest");
  return Done{};
}

Outcome check_manifest_abi(const std::optional<std::string>& abi) {
  if (!abi) return Done{};
  const auto dot = abi->find('.');
  const std::string major = abi->substr(0, dot);
  if (major.empty() || major.find_first_not_of("0123456789") != std::string::npos)
    return make_error(Status::invalid_input,
                      "AbiVersion '" + *abi + "' is malformed — write MAJOR.MINOR, e.g. \"1.0\"");
  if (std::stoul(major) != SP_ABI_MAJOR)
    return make_error(Status::unsupported,
                      "the manifest declares ABI " + *abi + " but this host speaks ABI " +
                          std::to_string(SP_ABI_MAJOR) + "." + std::to_string(SP_ABI_MINOR) +
                          " — use a build of the plugin for ABI " + std::to_string(SP_ABI_MAJOR) +
                          ".x");
  return Done{};
}

std::string_view check_state_name(CheckState state) noexcept {
  switch (state) {
    case CheckState::pass:
      return "ok";
    case CheckState::warn:
      return "warn";
    case CheckState::fail:
      return "fail";
    case CheckState::info:
      return "info";
  }
  return "fail";
}

Outcome PluginVerification::outcome() const {
  for (const auto& check : checks)
    if (check.state == CheckState::fail) return as_outcome(check);
  return Done{};
}

PluginVerification verify_plugin(const manifest::Manifest& manifest,
                                 const config::Settings& settings) {
  PluginVerification out;
  const bool writable = settings.allow_writable_plugins();
  const std::string manifest_path = manifest.path.string();
  out.checks.push_back(owner_and_mode(manifest.path, writable, "manifest"));
  const auto manifest_folder = folder_of(manifest.path);
  out.checks.push_back(owner_and_mode(manifest_folder, writable, "plugin folder"));

  std::vector<Check> pins_later;  // the pin checks need the trust decision, made after hashing
  std::vector<std::size_t> pin_slots;
  for (const auto& group : manifest.groups) {
    if (group.format != manifest::Format::Native) continue;
    if (!group.native || group.native->library.empty()) {
      out.checks.push_back({"library", CheckState::fail,
                            "the Native skill group names no Library — add Settings: {Library: "
                            "libname.so} to the group in " +
                                manifest_path,
                            Status::invalid_input});
      continue;
    }
    const auto& native = *group.native;
    std::filesystem::path path = native.library;
    if (path.is_relative()) path = manifest.directory() / path;
    path = path.lexically_normal();
    const std::string file = path.filename().string();
    if (!std::filesystem::exists(path)) {
      out.checks.push_back({file + " exists", CheckState::fail,
                            "plugin library " + path.string() +
                                " not found — build the plugin, or fix Library in " + manifest_path,
                            Status::not_found});
      continue;
    }
    out.checks.push_back({file + " exists", CheckState::pass, path.string()});
    auto library_check = owner_and_mode(path, writable, "plugin library");
    library_check.name = file + " owner and mode";
    out.checks.push_back(std::move(library_check));
    if (folder_of(path) != manifest_folder)
      out.checks.push_back(owner_and_mode(folder_of(path), writable, "plugin folder"));

    LibraryDigest digest{path, native.sha256, std::nullopt};
    if (auto actual = sha256_file_hex(path)) digest.actual = std::move(*actual);
    out.libraries.push_back(std::move(digest));
    pin_slots.push_back(out.checks.size());
    out.checks.push_back({});  // filled below

    Check abi{file + " ABI", CheckState::pass, {}};
    if (auto done = check_manifest_abi(native.abi); !done) {
      abi.state = CheckState::fail;
      abi.status = done.error().status;
      abi.detail = done.error().message;
    } else if (native.abi) {
      abi.detail = "declares " + *native.abi;
    } else {
      abi.state = CheckState::warn;
      abi.detail = "not declared — add AbiVersion: \"" + std::to_string(SP_ABI_MAJOR) + "." +
                   std::to_string(SP_ABI_MINOR) + "\" so a mismatched build is refused by name";
    }
    out.checks.push_back(std::move(abi));
  }

  out.trust =
      decide_trust(settings, manifest.descriptor.name, manifest_publisher(manifest), out.libraries);
  for (std::size_t i = 0; i < pin_slots.size(); ++i)
    out.checks[pin_slots[i]] = pin_check(out.libraries[i], settings, out.trust, manifest_path);
  out.checks.push_back({"trusted", CheckState::info,
                        out.trust.trusted ? "yes, by " + out.trust.by
                                          : "no — not listed in security.trusted_plugins, "
                                            "trusted_sha256 or trusted_publishers"});
  if (!out.libraries.empty()) {
    out.isolation = decide_isolation(settings, manifest.descriptor.name,
                                     requested_isolation(manifest), out.trust);
    out.checks.push_back({"isolation", CheckState::info,
                          std::string(config::isolation_mode_name(out.isolation->mode)) + " (" +
                              out.isolation->why + ")"});
  }
  return out;
}

}  // namespace secpilot::plugin
