#include "incident/summary.hpp"

#include <algorithm>
#include <map>

#include "incident/attack.hpp"
#include "text_util.hpp"
#include "timeline.hpp"
#include "triage.hpp"

namespace incident {
namespace {

class TechniqueCollector {
 public:
  explicit TechniqueCollector(std::vector<std::string>& warnings) : warnings_(warnings) {}

  void add(const std::string& raw, std::string_view tactic_hint,
           const std::vector<std::string>& alerts) {
    const std::string id = normalize_technique_id(raw);
    if (id.empty()) {
      if (!raw.empty())
        add_unique(warnings_, "ignored technique '" + raw +
                                  "': not an ATT&CK technique id (T1234 or T1234.567)");
      return;
    }
    auto [entry, added] = by_id_.try_emplace(id);
    Technique& technique = entry->second;
    if (added) {
      const TechniqueInfo info = lookup_technique(id);
      technique.id = id;
      technique.name = std::string(info.name);
      technique.tactic = std::string(info.tactic);
    }
    if (technique.tactic.empty()) technique.tactic = std::string(canonical_tactic(tactic_hint));
    for (const auto& alert : alerts)
      add_unique(technique.alerts, alert);
  }

  std::vector<Technique> sorted() const {
    std::vector<Technique> out;
    for (const auto& [id, technique] : by_id_)
      out.push_back(technique);
    std::stable_sort(out.begin(), out.end(), [](const Technique& a, const Technique& b) {
      return tactic_order(a.tactic) < tactic_order(b.tactic);
    });
    return out;
  }

 private:
  std::vector<std::string>& warnings_;
  std::map<std::string, Technique> by_id_;  // ordered by id, so sorted() is stable and total
};

}  // namespace

Summary summarize(Incident incident) {
  Summary summary;
  incident.entities.add_url_domains();
  incident.entities.link_users();
  if (incident.severity == Severity::unknown)
    for (const auto& alert : incident.alerts)
      incident.severity = std::max(incident.severity, alert.severity);

  TechniqueCollector techniques(incident.warnings);
  for (const auto& ref : incident.techniques)
    techniques.add(ref.id, ref.tactic, ref.alerts);
  for (const auto& alert : incident.alerts)
    for (const auto& id : alert.techniques)
      // An alert's own tactic tells a technique's only when there is just one to choose.
      techniques.add(id, alert.tactics.size() == 1 ? alert.tactics.front() : std::string(),
                     {alert.id});
  summary.techniques = techniques.sorted();

  std::vector<std::string> tactics = incident.tactics;
  for (const auto& technique : summary.techniques)
    add_unique(tactics, technique.tactic);
  for (const auto& alert : incident.alerts)
    for (const auto& tactic : alert.tactics)
      add_unique(tactics, tactic);
  std::stable_sort(tactics.begin(), tactics.end(), [](const std::string& a, const std::string& b) {
    return tactic_order(a) < tactic_order(b);
  });
  summary.tactics = std::move(tactics);

  summary.timeline = build_timeline(incident);
  for (const auto& event : summary.timeline) {
    if (event.kind == "incident" || event.kind == "context" || event.kind == "finding") continue;
    if (!summary.first_activity) summary.first_activity = event.time;
    summary.last_activity = event.time;
  }
  for (const auto& alert : incident.alerts)
    if (alert.last_time && summary.last_activity && *alert.last_time > *summary.last_activity)
      summary.last_activity = alert.last_time;
  summary.incident = std::move(incident);
  summary.triage = make_triage(summary);
  return summary;
}

bool is_persistence_path(std::string_view path) {
  for (std::string_view place :
       {"LaunchAgents", "LaunchDaemons", "\\Start Menu\\Programs\\Startup", "/etc/cron",
        "/var/spool/cron", "/etc/systemd/", "/.config/systemd/", "\\System32\\Tasks\\", "/.bashrc",
        "/.zshrc", "/.bash_profile", "/.profile"})
    if (icontains(path, place)) return true;
  return false;
}

bool has_external_indicators(const Entities& entities) {
  const bool external_ip = std::any_of(entities.ips().begin(), entities.ips().end(),
                                       [](const Ip& ip) { return !ip.internal; });
  const bool hash = std::any_of(
      entities.files().begin(), entities.files().end(),
      [](const File& f) { return !f.sha256.empty() || !f.sha1.empty() || !f.md5.empty(); });
  return external_ip || hash || !entities.domains().empty() || !entities.urls().empty();
}

std::string alert_title(const Incident& incident, const std::string& alert_id) {
  for (const auto& alert : incident.alerts)
    if (alert.id == alert_id) return alert.title;
  return alert_id;
}

}  // namespace incident
