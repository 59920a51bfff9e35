#include "secpilot/manifest/diagnostic.hpp"

#include <algorithm>

namespace secpilot::manifest {

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string out = diagnostic.where.file;
  if (diagnostic.where.line > 0) {
    out += ':' + std::to_string(diagnostic.where.line);
    if (diagnostic.where.column > 0) out += ':' + std::to_string(diagnostic.where.column);
  }
  out += out.empty() ? "" : ": ";
  switch (diagnostic.severity) {
    case Severity::Error:
      out += "error: ";
      break;
    case Severity::Warning:
      out += "warning: ";
      break;
    case Severity::Note:
      out += "note: ";
      break;
  }
  out += diagnostic.message;
  if (!diagnostic.fix.empty()) out += " \u2014 " + diagnostic.fix;
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

}  // namespace secpilot::manifest
