// Stakeholder reports in Markdown, written from templates (no model): one per audience, each with
// its own tone and length, from an incident summary or a secpilot session's findings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "incident/summary.hpp"

namespace incident {

enum class Audience {
  ciso,         // short: business impact, risk, decisions needed, no jargon
  soc_analyst,  // technical: timeline, indicators, ATT&CK, hunting queries, next steps
  it_admin,     // practical: affected machines and accounts, remediation steps, checks
};

inline constexpr std::string_view kAudienceNames = "ciso, soc_analyst or it_admin";

// Case-insensitive, '-' and ' ' read as '_'; also "executive", "analyst"/"soc", "admin"/"it".
std::optional<Audience> parse_audience(std::string_view text);
std::string_view audience_name(Audience audience) noexcept;

struct ReportSection {
  std::string id;  // stable, for programs: "bottom_line", "timeline", "steps", ...
  std::string title;
  std::string markdown;  // the body, without its heading
};

struct Report {
  std::string title;
  Audience audience = Audience::soc_analyst;
  std::string source_kind;  // "incident" or "session"
  std::vector<ReportSection> sections;
  std::string markdown;  // "# title", then each section as "## title" and its body
};

Report write_report(const Summary& summary, Audience audience);

// The JSON result of WriteReport (its schema is in manifests/incident.yaml).
boost::json::object report_json(const Report& report, const Summary& summary);

}  // namespace incident
