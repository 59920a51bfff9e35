// The one normalized incident that every accepted input shape (Defender XDR, Sentinel, the
// generic shape, a session export) is read into, and that summaries and reports are made from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "incident/entities.hpp"

namespace incident {

// Seconds since 1970-01-01T00:00:00Z.
using UnixSeconds = std::int64_t;

enum class Severity { unknown, informational, low, medium, high, critical };

// "unknown", "informational", "low", "medium", "high" or "critical".
std::string_view severity_name(Severity severity) noexcept;

// Reads the severity words of every supported product, case-insensitively ("High",
// "informational", "UnSpecified", "moderate", ...); anything else is Severity::unknown.
Severity parse_severity(std::string_view text);

// A status in lower snake_case: "new", "active", "in_progress", "awaiting_action", "resolved",
// "redirected"; Sentinel's "Closed" becomes "resolved"; "" becomes "unknown"; any other word is
// kept in snake_case ("OnHold" -> "on_hold").
std::string normalize_status(std::string_view text);

struct Alert {
  std::string id;
  std::string title;
  Severity severity = Severity::unknown;
  std::string status;
  std::optional<UnixSeconds> time;       // the first activity, else when the alert was created
  std::optional<UnixSeconds> last_time;  // the last activity, when the source gives it
  std::string source;                    // the product or detection source that raised it
  std::string description;
  std::vector<std::string> techniques;  // ATT&CK ids as given (checked when summarized)
  std::vector<std::string> tactics;     // canonical ATT&CK tactic names
};

// One thing that happened at a known time.
struct Event {
  UnixSeconds time = 0;
  std::string description;
  std::vector<std::string>
      alerts;  // ids of the alerts that report it; empty for the incident's own
  // "incident" (the incident's own life), "alert", "process", "finding" (a session step),
  // "context" (a background fact, such as an asset's state: shown, but not attacker activity),
  // or any word a generic input uses ("activity" by default, "network", ...).
  std::string kind;
};

// An ATT&CK technique named by the input, before it is looked up.
struct TechniqueRef {
  std::string id;
  std::string tactic;  // a tactic the input gives for it, else ""
  std::vector<std::string> alerts;
};

// A conclusion a skill reached in a secpilot session (a verdict, a score, a failure).
struct Finding {
  std::string source;  // the skill, e.g. "ThreatIntel.LookupIndicator"
  std::string text;
  Severity severity = Severity::unknown;
  bool failed = false;  // the step failed: a gap in the investigation, not a fact
};

struct Incident {
  std::string shape;  // the input shape it was read from (see shape.hpp)
  std::string id;
  std::string title;
  std::string description;
  Severity severity = Severity::unknown;
  std::string status = "unknown";
  std::optional<UnixSeconds> created;
  std::string assigned_to;
  std::string classification;
  std::string url;
  std::vector<Alert> alerts;
  std::vector<Event> events;
  Entities entities;
  std::vector<TechniqueRef> techniques;
  std::vector<std::string> tactics;  // canonical names the incident itself lists
  std::vector<Finding> findings;
  std::vector<std::string> warnings;  // what was skipped or could not be read, for people
};

}  // namespace incident
