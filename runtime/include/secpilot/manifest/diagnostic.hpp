// A problem found in a manifest, located in its file, with what is wrong and how to fix it.
#pragma once

#include <string>
#include <vector>

#include "secpilot/manifest/manifest.hpp"

namespace secpilot::manifest {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLocation where;
  std::string message;  // what is wrong
  std::string fix;      // how to fix it (may be empty for notes)
};

// "file:line:col: error: what — how to fix"
std::string format_diagnostic(const Diagnostic& diagnostic);
bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept;

}  // namespace secpilot::manifest
