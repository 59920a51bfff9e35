// The SOC analyst's report: every technical detail — overview, timeline, indicators of
// compromise, ATT&CK techniques, entities with command lines, hunting queries, next steps, gaps.
#include "hunting_queries.hpp"
#include "incident/time_text.hpp"
#include "markdown.hpp"
#include "report_sections.hpp"
#include "text_util.hpp"
#include "triage.hpp"

namespace incident {
namespace {

constexpr std::size_t kMaxTimelineRows = 200;

std::string or_dash(const std::string& markdown) {
  return markdown.empty() ? "—" : markdown;
}

std::string time_or_dash(const std::optional<UnixSeconds>& time) {
  return time ? format_time(*time) : "—";
}

std::string alert_titles(const Incident& incident, const std::vector<std::string>& alerts) {
  std::vector<std::string> titles;
  for (const auto& alert : alerts)
    titles.push_back(md::text(alert_title(incident, alert)));
  return or_dash(join_some(titles, 3));
}

std::string overview(const Summary& summary) {
  const Incident& incident = summary.incident;
  std::vector<std::vector<std::string>> rows = {
      {"ID", or_dash(md::text(incident.id))},
      {"Source", md::code(incident.shape)},
      {"Severity", std::string(severity_name(incident.severity))},
      {"Status", md::text(incident.status)},
      {"Owner", or_dash(md::text(incident.assigned_to))},
      {"Classification", or_dash(md::text(incident.classification))},
      {"First activity", time_or_dash(summary.first_activity)},
      {"Last activity", time_or_dash(summary.last_activity)},
      {"Alerts", std::to_string(incident.alerts.size())},
  };
  if (!incident.url.empty()) rows.push_back({"Link", md::text(incident.url)});
  std::string out = md::table({"Field", "Value"}, rows);
  out += "\n" + md::text(summary.triage.what_happened) + "\n\n" + md::text(summary.triage.scope) +
         "\n";
  if (!incident.description.empty())
    out += "\n> " + md::text(shorten(incident.description, 1000)) + "\n";
  return out;
}

std::string timeline(const Summary& summary) {
  if (summary.timeline.empty()) return "No dated events.\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& event : summary.timeline) {
    if (rows.size() == kMaxTimelineRows) break;
    std::string source = event.alerts.empty() ? (event.kind == "incident" ? "incident" : "—")
                                              : alert_titles(summary.incident, event.alerts);
    rows.push_back({format_time(event.time), source, md::text(event.description)});
  }
  std::string out = md::table({"Time (UTC)", "Source", "Event"}, rows);
  if (summary.timeline.size() > kMaxTimelineRows)
    out += "\n" + std::to_string(summary.timeline.size() - kMaxTimelineRows) +
           " later events are left out; SummarizeIncident returns them all.\n";
  return out;
}

std::string indicators(const Entities& entities) {
  std::string out;
  std::vector<std::string> external, internal;
  for (const auto& ip : entities.ips())
    (ip.internal ? internal : external).push_back(md::code(ip.address));
  if (!external.empty()) out += "**IP addresses:** " + join(external, ", ") + "\n\n";
  std::vector<std::string> domains, urls;
  for (const auto& domain : entities.domains())
    domains.push_back(md::code(domain.name));
  for (const auto& url : entities.urls())
    urls.push_back(md::code(url.url));
  if (!domains.empty()) out += "**Domains:** " + join(domains, ", ") + "\n\n";
  if (!urls.empty()) out += "**URLs:**\n\n" + md::list(urls) + "\n";
  if (auto files = hashed_files(entities); !files.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& file : files)
      rows.push_back({or_dash(file.name.empty() ? "" : md::code(full_path(file))),
                      or_dash(file.sha256.empty() ? "" : md::code(file.sha256)),
                      or_dash(file.sha1.empty() ? "" : md::code(file.sha1)),
                      or_dash(file.md5.empty() ? "" : md::code(file.md5))});
    out += "**Files:**\n\n" + md::table({"File", "SHA-256", "SHA-1", "MD5"}, rows) + "\n";
  }
  if (!internal.empty())
    out += "Internal addresses seen (not indicators): " + join(internal, ", ") + "\n\n";
  return out.empty() ? "None in the input.\n" : out;
}

std::string techniques(const Summary& summary) {
  if (summary.techniques.empty()) {
    if (summary.tactics.empty()) return "None named in the input.\n";
    return "No technique ids; tactics: " + md::text(join_words(summary.tactics)) + ".\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& technique : summary.techniques)
    rows.push_back({md::code(technique.id), or_dash(md::text(technique.name)),
                    or_dash(md::text(technique.tactic)),
                    alert_titles(summary.incident, technique.alerts)});
  return md::table({"ID", "Technique", "Tactic", "Alerts"}, rows);
}

std::string entities_section(const Incident& incident) {
  const Entities& entities = incident.entities;
  std::string out;
  if (!entities.hosts().empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& host : entities.hosts()) {
      std::vector<std::string> users;
      for (const auto& user : host.users)
        users.push_back(md::text(user));
      rows.push_back({md::text(host.name), or_dash(md::text(host.os)), or_dash(join(users, ", ")),
                      alert_titles(incident, host.alerts)});
    }
    out += "**Hosts:**\n\n" + md::table({"Host", "OS", "Users", "Alerts"}, rows) + "\n";
  }
  if (!entities.users().empty()) {
    std::vector<std::string> users;
    for (const auto& user : entities.users())
      users.push_back(md::text(user.name) +
                      (user.display_name.empty() ? "" : " (" + md::text(user.display_name) + ")"));
    out += "**Users:** " + join(users, ", ") + "\n\n";
  }
  if (!entities.processes().empty()) {
    out += "**Processes:**\n\n";
    for (const auto& process : entities.processes()) {
      std::vector<std::string> where;
      if (process.time) where.push_back(format_time(*process.time));
      if (!process.host.empty()) where.push_back("on " + md::text(process.host));
      if (!process.user.empty()) where.push_back("as " + md::text(process.user));
      if (!process.pid.empty()) where.push_back("PID " + md::text(process.pid));
      out += "- " + (process.image.empty() ? std::string("process") : md::code(process.image)) +
             (where.empty() ? "" : " " + join(where, ", ")) + ":\n\n" +
             md::block(process.command_line, "text") + "\n";
    }
  }
  return out.empty() ? "None in the input.\n" : out;
}

std::string findings(const Incident& incident) {
  std::vector<std::string> items;
  for (const auto& finding : incident.findings)
    items.push_back(md::code(finding.source) + ": " + md::text(finding.text));
  return md::list(items);
}

std::string queries(const Entities& entities) {
  std::string out =
      "Microsoft Defender advanced hunting, last 30 days (adapt the table names for Sentinel):\n\n";
  for (const auto& query : hunting_queries(entities))
    out += "**" + md::text(query.purpose) + "**\n\n" + md::block(query.kql, "kql") + "\n";
  return out;
}

std::string next_steps(const Summary& summary) {
  std::vector<std::string> steps;
  for (const auto& step : summary.triage.first_steps)
    steps.push_back(md::text(step));
  if (!hunting_queries(summary.incident.entities).empty())
    steps.push_back(
        "Run the hunting queries above and add every new device or account to the "
        "incident.");
  if (!summary.techniques.empty())
    steps.push_back(
        "Check the detections for each ATT&CK technique above, and add the ones "
        "missing.");
  return md::list(steps, true);
}

}  // namespace

std::vector<ReportSection> analyst_sections(const Summary& summary) {
  const Incident& incident = summary.incident;
  std::vector<ReportSection> sections = {
      {"overview", "Overview", overview(summary)},
      {"timeline", "Timeline", timeline(summary)},
      {"indicators", "Indicators of compromise", indicators(incident.entities)},
      {"techniques", "MITRE ATT&CK techniques", techniques(summary)},
      {"entities", "Affected entities", entities_section(incident)},
  };
  if (!incident.findings.empty())
    sections.push_back({"findings", "Findings of the investigation", findings(incident)});
  if (!hunting_queries(incident.entities).empty())
    sections.push_back({"queries", "Hunting queries", queries(incident.entities)});
  sections.push_back({"next_steps", "Next steps", next_steps(summary)});
  if (!incident.warnings.empty()) {
    std::vector<std::string> gaps;
    for (const auto& warning : incident.warnings)
      gaps.push_back(md::text(warning));
    sections.push_back({"gaps", "Gaps in the data", md::list(gaps)});
  }
  return sections;
}

}  // namespace incident
