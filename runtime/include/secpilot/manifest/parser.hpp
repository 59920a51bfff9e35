// Reads a manifest file (YAML or JSON, Security Copilot's dialect) into the model, and lints it.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "secpilot/manifest/diagnostic.hpp"
#include "secpilot/manifest/manifest.hpp"

namespace secpilot::manifest {

struct ParseResult {
  std::optional<Manifest> manifest;  // absent when the file could not be read or parsed at all
  std::vector<Diagnostic> diagnostics;
};

// Parses text as if it were the file `path` (its extension does not matter: JSON is read as YAML).
// Structural problems (wrong node kinds, unknown enum values) become diagnostics; keys and enum
// values match case-insensitively, known aliases are accepted, unknown keys are kept in `extra`.
ParseResult parse_manifest(std::string_view text, const std::filesystem::path& path);
ParseResult parse_manifest_file(const std::filesystem::path& path);

struct LintOptions {
  bool check_files = true;  // Native: library exists, SHA-256 matches (reads the library)
};

// Every check of `secpilot manifest lint` on a parsed manifest (parse diagnostics not included).
std::vector<Diagnostic> lint(const Manifest& manifest, const LintOptions& options = {});

// Parse + lint in one go: what `secpilot manifest lint FILE` prints.
std::vector<Diagnostic> lint_file(const std::filesystem::path& path,
                                  const LintOptions& options = {});

// For skills of formats this build cannot execute yet: the reason, e.g. "GPT skills need the
// orchestrator's model client". Empty for executable formats (Native).
std::string not_executable_reason(Format format);

}  // namespace secpilot::manifest
