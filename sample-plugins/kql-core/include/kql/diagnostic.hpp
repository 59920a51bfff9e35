// A problem found in a query: where, what, and how to fix it.
#ifndef KQL_DIAGNOSTIC_HPP
#define KQL_DIAGNOSTIC_HPP

#include <string>
#include <string_view>
#include <vector>

#include "kql/source_range.hpp"

namespace kql {

enum class Severity { Error, Warning };

// `code` is a stable, kebab-case identifier a program can match on ("syntax", "unknown-table",
// "unknown-column", "type-mismatch", "no-time-filter", ...: docs/plugins/kql.md lists them);
// `message` says what is wrong and `hint` how to fix it (may be empty).
struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;
  std::string message;
  std::string hint;
  SourceRange range;
};

using Diagnostics = std::vector<Diagnostic>;

bool has_errors(const Diagnostics& diagnostics);
std::string_view severity_name(Severity severity);  // "error" / "warning"

}  // namespace kql

#endif  // KQL_DIAGNOSTIC_HPP
