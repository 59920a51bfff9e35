// Which file to hand the dynamic loader. dlopen() finds an already-loaded library by its path and
// returns the old one even when the file was replaced, and secpilot never unloads libraries; so a
// replaced library is loaded from a private copy instead, while calls in flight keep the old code.
#pragma once

#include <filesystem>

#include "secpilot/util/expected.hpp"

namespace secpilot::plugin {

// `library` itself the first time and while it is unchanged (same device, inode, size and
// modification time as when it was loaded); otherwise a copy of the new file in a folder only
// this user can write ($XDG_RUNTIME_DIR/secpilot-libraries, or the temp dir), named after the
// file's identity so every version gets its own. Thread-safe.
Expected<std::filesystem::path> loadable_path(const std::filesystem::path& library);

}  // namespace secpilot::plugin
