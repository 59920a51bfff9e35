// SHA-256 of files and bytes, as lower-case hex: how manifests pin the libraries they load.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "secpilot/util/expected.hpp"

namespace secpilot {

std::string sha256_hex(std::string_view bytes);
// Streams the file; errors name the file and the reason (not found, permission denied).
Expected<std::string> sha256_file_hex(const std::filesystem::path& path);

}  // namespace secpilot
