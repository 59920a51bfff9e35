// Checks made before a plugin library is loaded: loading runs its code, so trust comes first.
// The same checks gate every load and reload, and `secpilot plugins verify` prints them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plugin/trust_policy.hpp"
#include "secpilot/config/settings.hpp"
#include "secpilot/manifest/manifest.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::plugin {

// Refuses a file, or the folder holding it, that is writable by group or others (unless
// `allow_writable`), or owned by someone other than root or this process's user.
Outcome check_file_trust(const std::filesystem::path& library, bool allow_writable);
// The same check of one file or folder alone; `what` names it in messages.
Outcome check_owner_and_mode(const std::filesystem::path& path, bool allow_writable,
                             const char* what);

// When the manifest pins a SHA-256, the file must match it.
Outcome check_pinned_sha256(const std::filesystem::path& library,
                            const std::optional<std::string>& pinned);

// "1.0" style ABI version from the manifest: the major must be the host's.
Outcome check_manifest_abi(const std::optional<std::string>& abi);

enum class CheckState { pass, warn, fail, info };
std::string_view check_state_name(CheckState state) noexcept;  // "ok", "warn", "fail", "info"

struct Check {
  std::string name;  // "manifest file", "libx.so SHA-256", "trusted", ...
  CheckState state = CheckState::pass;
  std::string detail;  // what was found; for a failure, what is wrong and how to fix it
  Status status = Status::forbidden;  // for a failure
};

// Every check of one plugin, in the order they are made.
struct PluginVerification {
  std::vector<Check> checks;
  std::vector<LibraryDigest> libraries;  // its Native libraries
  TrustDecision trust;
  std::optional<IsolationDecision> isolation;  // set when it has a Native library
  // Done, or the first failure's message: why the plugin must not be loaded.
  Outcome outcome() const;
};

// Checks the manifest file and its folder (owner, mode); for each Native library: it exists,
// its owner and mode and its folder's, its SHA-256 against the pin (and security.require_pinned),
// the declared ABI; then decides trust and isolation. Reads (hashes) each library; runs no code.
PluginVerification verify_plugin(const manifest::Manifest& manifest,
                                 const config::Settings& settings);

}  // namespace secpilot::plugin
