// Alerts that involve an entity: AlertEvidence for the entity, AlertInfo for the alert.
#include "generate/intent.hpp"
#include "generate/query_text.hpp"

namespace kql_skills {
namespace {

int score_alerts(const Request& r) {
  const bool alerts = r.has_any({"alert", "alerts", "detection", "detections"});
  if (!alerts && !r.has_any({"incident", "incidents"})) return 0;
  const auto& e = r.entities;
  const bool entity = !e.hosts.empty() || !e.emails.empty() || !e.users.empty() || !e.ips.empty() ||
                      !e.sha1s.empty() || !e.sha256s.empty() || !e.domains.empty() ||
                      !e.urls.empty();
  // "alerts from the last day" is a fair request; "the incident" alone is too vague to hunt.
  return entity ? 88 : alerts ? 55 : 0;
}

Generated build_alerts(const Request& r) {
  Generated g;
  g.tables = {"AlertEvidence", "AlertInfo"};
  const TimeWindow window = window_or_default(r, 30, g);
  const auto& e = r.entities;
  std::vector<std::string> conditions;
  std::vector<std::string> described;
  if (!e.hosts.empty()) {
    conditions.push_back(hosts_condition("DeviceName", e.hosts));
    described.insert(described.end(), e.hosts.begin(), e.hosts.end());
  }
  if (!e.emails.empty()) {
    conditions.push_back(equals_any("AccountUpn", e.emails, true));
    described.insert(described.end(), e.emails.begin(), e.emails.end());
  }
  if (!e.users.empty()) {
    std::vector<std::string> names;
    for (const auto& user : e.users)
      names.push_back(account_name(user));
    conditions.push_back(equals_any("AccountName", names, true));
    described.insert(described.end(), names.begin(), names.end());
  }
  if (!e.ips.empty()) {
    conditions.push_back(equals_any("RemoteIP", e.ips, false) + " or " +
                         equals_any("LocalIP", e.ips, false));
    described.insert(described.end(), e.ips.begin(), e.ips.end());
  }
  if (!e.sha1s.empty()) {
    conditions.push_back(equals_any("SHA1", e.sha1s, true));
    described.insert(described.end(), e.sha1s.begin(), e.sha1s.end());
  }
  if (!e.sha256s.empty()) {
    conditions.push_back(equals_any("SHA256", e.sha256s, true));
    described.insert(described.end(), e.sha256s.begin(), e.sha256s.end());
  }
  std::vector<std::string> hosts = e.domains;
  for (const auto& url : e.urls)
    hosts.push_back(url);
  for (const auto& host : hosts) {
    conditions.push_back("RemoteUrl has " + kql_literal(host));
    described.push_back(host);
  }
  std::string query = "AlertEvidence\n" + time_filter("Timestamp", window) + "\n";
  if (!conditions.empty()) {
    std::string any;
    for (size_t i = 0; i < conditions.size(); ++i)
      any += (i ? " or " : "") + conditions[i];
    query += "| where " + any + "\n";
  }
  query +=
      "| summarize Evidence = make_set(EntityType, 10), FirstEvidence = min(Timestamp) by "
      "AlertId\n"
      "| join kind=inner (AlertInfo\n    " +
      time_filter("Timestamp", window) +
      "\n    | project AlertId, Timestamp, Title, Severity, Category, ServiceSource, "
      "AttackTechniques) on AlertId\n"
      "| project Timestamp, AlertId, Title, Severity, Category, ServiceSource, "
      "AttackTechniques, Evidence\n| sort by Timestamp desc";
  g.query = std::move(query);
  g.explanation =
      "Lists the alerts" +
      (described.empty() ? std::string() : " whose evidence includes " + join_words(described)) +
      " in " + window.phrase +
      " (AlertEvidence), with title, severity, category and ATT&CK techniques "
      "(AlertInfo), newest first.";
  return g;
}

}  // namespace

void add_alert_intents(std::vector<Intent>& list) {
  list.push_back({"alerts_for_entity",
                  "Defender XDR alerts that involve a device, user, IP, "
                  "file hash, domain or URL",
                  "Show alerts involving WS-042 in the last 30 days", score_alerts, build_alerts});
}

}  // namespace kql_skills
