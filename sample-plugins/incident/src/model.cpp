#include "incident/model.hpp"

#include <cctype>

#include "text_util.hpp"

namespace incident {

std::string_view severity_name(Severity severity) noexcept {
  switch (severity) {
    case Severity::informational:
      return "informational";
    case Severity::low:
      return "low";
    case Severity::medium:
      return "medium";
    case Severity::high:
      return "high";
    case Severity::critical:
      return "critical";
    case Severity::unknown:
      break;
  }
  return "unknown";
}

Severity parse_severity(std::string_view text) {
  const std::string key = compact_key(text);
  if (key == "informational" || key == "info" || key == "information")
    return Severity::informational;
  if (key == "low") return Severity::low;
  if (key == "medium" || key == "moderate") return Severity::medium;
  if (key == "high") return Severity::high;
  if (key == "critical") return Severity::critical;
  return Severity::unknown;
}

std::string normalize_status(std::string_view text) {
  const std::string key = compact_key(text);
  if (key.empty()) return "unknown";
  if (key == "closed" || key == "resolved") return "resolved";
  if (key == "inprogress") return "in_progress";
  if (key == "awaitingaction") return "awaiting_action";
  // Anything else in snake_case: "OnHold" -> "on_hold", "Needs review" -> "needs_review".
  std::string out;
  for (char c : trim(text)) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isupper(u) && !out.empty() && out.back() != '_') out += '_';
    if (std::isalnum(u))
      out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_')
    out.pop_back();
  return out.empty() ? "unknown" : out;
}

}  // namespace incident
