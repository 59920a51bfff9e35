// Checks made before a plugin library is loaded: loading runs its code, so trust comes first.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "secpilot/util/expected.hpp"

namespace secpilot::plugin {

// Refuses a file, or the folder holding it, that is writable by group or others (unless
// `allow_writable`), or owned by someone other than root or this process's user.
Outcome check_file_trust(const std::filesystem::path& library, bool allow_writable);

// When the manifest pins a SHA-256, the file must match it.
Outcome check_pinned_sha256(const std::filesystem::path& library,
                            const std::optional<std::string>& pinned);

// "1.0" style ABI version from the manifest: the major must be the host's.
Outcome check_manifest_abi(const std::optional<std::string>& abi);

}  // namespace secpilot::plugin
