// What secpilot's own programs (secpilotd, secpilotd --mcp-stdio, secpilot) add to the settings
// they read. The isolation policy always decides where a plugin runs, so a plugin that nothing
// trusts runs in a sandboxed runner even when the config says nothing about isolation. And the
// libraries built with secpilot (the sample plugins), listed by SHA-256 in
// share/secpilot/first-party.sha256 beside the programs, are trusted, so they run in process.
// A program that embeds the host without this keeps the manifests' choice (docs/security.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "secpilot/config/settings.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::plugin {

// <folder of the running program>/../share/secpilot/first-party.sha256
std::filesystem::path first_party_list_path();

// Reads a first-party list: one "<sha256 hex>  <file>" line per library, as `sha256sum` writes
// them; blank lines and lines starting with '#' are skipped. Refuses a file that others could
// change (as plugin libraries are refused) and a malformed line, naming the file and line.
Expected<std::vector<std::string>> read_first_party_list(const std::filesystem::path& file,
                                                         bool allow_writable);

// Enforces the isolation policy and trusts the first-party list when there is one (a missing list
// trusts nothing; a broken one is logged as an error and trusts nothing).
void apply_shipped_policy(config::Settings& settings,
                          const std::filesystem::path& list = first_party_list_path());

}  // namespace secpilot::plugin
