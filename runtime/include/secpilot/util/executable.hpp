// Where the running program lives: secpilot's programs find what ships with them (the runner,
// plugins, promptbooks, the first-party list) relative to their own executable.
#pragma once

#include <filesystem>

namespace secpilot {

// The folder of /proc/self/exe, or an empty path when it cannot be read.
std::filesystem::path executable_dir();

}  // namespace secpilot
