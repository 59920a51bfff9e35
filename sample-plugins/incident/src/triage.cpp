#include "triage.hpp"

#include <algorithm>

#include "incident/time_text.hpp"
#include "text_util.hpp"

namespace incident {
namespace {

std::vector<const Alert*> alerts_by_time(const Incident& incident) {
  std::vector<const Alert*> alerts;
  for (const auto& alert : incident.alerts)
    alerts.push_back(&alert);
  // Dated alerts first, in time order; undated ones keep their input order at the end.
  std::stable_sort(alerts.begin(), alerts.end(), [](const Alert* a, const Alert* b) {
    if (a->time.has_value() != b->time.has_value()) return a->time.has_value();
    return a->time && b->time && *a->time < *b->time;
  });
  return alerts;
}

std::string alerts_sentence(const Summary& summary) {
  const Incident& incident = summary.incident;
  std::string text = count_of(incident.alerts.size(), "alert", "alerts");
  std::optional<UnixSeconds> first, last;
  for (const auto& alert : incident.alerts)
    for (const auto& time : {alert.time, alert.last_time}) {
      if (!time) continue;
      first = first ? std::min(*first, *time) : *time;
      last = last ? std::max(*last, *time) : *time;
    }
  if (first) text += " " + format_span(*first, *last);
  std::vector<std::string> items;
  for (const Alert* alert : alerts_by_time(incident)) {
    std::string item = "\"" + alert->title + "\"";
    if (auto hosts = hosts_of_alert(incident.entities, alert->id); !hosts.empty())
      item += " on " + join_words(hosts);
    item += " (" + std::string(severity_name(alert->severity)) + ")";
    items.push_back(std::move(item));
  }
  return text + ": " + join_some(items, 5) + ".";
}

std::string findings_sentence(const Incident& incident) {
  std::size_t bad = 0, failed = 0;
  std::vector<std::string> notable;
  for (const auto& finding : incident.findings) {
    if (finding.failed) {
      ++failed;
    } else if (finding.severity >= Severity::medium) {
      ++bad;
      notable.push_back(finding.source + ": " + finding.text);
    }
  }
  std::string text = "The investigation ran " +
                     count_of(incident.findings.size(), "skill step", "skill steps") + ": " +
                     std::to_string(bad) + " reported malicious or suspicious results";
  if (failed > 0) text += ", " + std::to_string(failed) + " failed";
  text += ".";
  if (!notable.empty()) text += " " + join(notable, ". ") + ".";
  return text;
}

std::string what_happened(const Summary& summary) {
  const Incident& incident = summary.incident;
  std::string text;
  if (incident.shape == "session") text = findings_sentence(incident);
  if (!incident.alerts.empty()) {
    text += (text.empty() ? "" : " ") + alerts_sentence(summary);
  } else if (incident.shape != "session" && !summary.timeline.empty()) {
    const auto& first = summary.timeline.front();
    const auto& last = summary.timeline.back();
    text = count_of(summary.timeline.size(), "event", "events") + " " +
           format_span(first.time, last.time) + ", the first: " + first.description;
    if (summary.timeline.size() > 1) text += "; the last: " + last.description;
    text += ".";
  }
  if (!summary.tactics.empty()) text += " Tactics seen: " + join_words(summary.tactics) + ".";
  return text.empty() ? "Nothing in the input says what happened." : text;
}

std::string scope(const Entities& entities) {
  std::vector<std::string> parts;
  std::vector<std::string> hosts, users;
  for (const auto& host : entities.hosts())
    hosts.push_back(host.name);
  for (const auto& user : entities.users())
    users.push_back(user.name);
  if (!hosts.empty())
    parts.push_back(count_of(hosts.size(), "host", "hosts") + " (" + join_some(hosts) + ")");
  if (!users.empty())
    parts.push_back(count_of(users.size(), "user", "users") + " (" + join_some(users) + ")");
  std::string text = parts.empty() ? "No hosts or users are named" : join_words(parts);
  std::vector<std::string> external;
  std::vector<std::string> ips;
  for (const auto& ip : entities.ips())
    if (!ip.internal) ips.push_back(ip.address);
  if (!ips.empty())
    external.push_back(count_of(ips.size(), "IP", "IPs") + " (" + join_some(ips, 3) + ")");
  std::vector<std::string> domains;
  for (const auto& domain : entities.domains())
    domains.push_back(domain.name);
  if (!domains.empty())
    external.push_back(count_of(domains.size(), "domain", "domains") + " (" +
                       join_some(domains, 3) + ")");
  if (!entities.urls().empty()) external.push_back(count_of(entities.urls().size(), "URL", "URLs"));
  if (auto files = hashed_files(entities); !files.empty())
    external.push_back(count_of(files.size(), "file hash", "file hashes"));
  text += external.empty() ? ". No external indicators."
                           : ". External indicators: " + join_words(external) + ".";
  return text;
}

std::vector<std::string> first_steps(const Summary& summary) {
  const Incident& incident = summary.incident;
  const Entities& entities = incident.entities;
  std::vector<std::string> steps;
  const bool resolved = incident.status == "resolved";
  if (resolved)
    steps.push_back(
        "The incident is resolved" +
        (incident.classification.empty() ? std::string() : " (" + incident.classification + ")") +
        ": confirm that the steps below were done before closing it out.");
  std::vector<std::string> hosts;
  for (const auto& host : entities.hosts())
    hosts.push_back(host.name);
  if (!hosts.empty()) {
    if (incident.severity >= Severity::medium)
      steps.push_back("Isolate " + join_some(hosts) +
                      " from the network, keeping them powered on for forensics.");
    else
      steps.push_back("Check " + join_some(hosts) + " for further activity.");
  }
  if (auto indicators = network_indicators(entities); !indicators.empty())
    steps.push_back("Block " + join_some(indicators) +
                    " at the firewall, web proxy and DNS, then search for other hosts that "
                    "contacted them.");
  const bool persistence = std::find(summary.tactics.begin(), summary.tactics.end(),
                                     "Persistence") != summary.tactics.end();
  if (persistence) {
    std::vector<std::string> methods, paths;
    for (const Technique* technique : persistence_techniques(summary))
      methods.push_back(short_technique_name(*technique));
    for (const auto& file : entities.files())
      if (is_persistence_path(full_path(file))) add_unique(paths, full_path(file));
    std::vector<std::string> persistent_hosts;
    for (const Technique* technique : persistence_techniques(summary))
      for (const Host* host : hosts_of_technique(summary, *technique))
        add_unique(persistent_hosts, host->name);
    std::string step = "Remove the persistence";
    if (!methods.empty()) step += " (" + join_words(methods) + ")";
    if (!persistent_hosts.empty()) step += " from " + join_some(persistent_hosts);
    if (!paths.empty()) step += ": " + join_some(paths, 3);
    steps.push_back(step + ".");
  }
  std::vector<std::string> users;
  for (const auto& user : entities.users())
    users.push_back(user.name);
  if (!users.empty())
    steps.push_back("Reset the passwords and revoke the sign-in sessions of " + join_some(users) +
                    ".");
  if (auto files = hashed_files(entities); !files.empty())
    steps.push_back("Block the " + count_of(files.size(), "file hash", "file hashes") +
                    " in the EDR and sweep all endpoints for them.");
  const bool credentials = std::find(summary.tactics.begin(), summary.tactics.end(),
                                     "Credential Access") != summary.tactics.end();
  if (credentials && !users.empty())
    steps.push_back("Review the sign-ins of " + join_some(users) +
                    " since the first activity for use of stolen credentials.");
  if (!resolved && incident.assigned_to.empty() && incident.shape != "session")
    steps.push_back("Assign an owner to the incident: it has none.");
  if (steps.empty())
    steps.push_back("Review the alerts: the input names no hosts, users or indicators to act on.");
  return steps;
}

}  // namespace

std::vector<std::string> hosts_of_alert(const Entities& entities, const std::string& alert_id) {
  std::vector<std::string> hosts;
  for (const auto& host : entities.hosts())
    if (std::find(host.alerts.begin(), host.alerts.end(), alert_id) != host.alerts.end())
      hosts.push_back(host.name);
  return hosts;
}

std::vector<const Host*> hosts_of_technique(const Summary& summary, const Technique& technique) {
  const auto& hosts = summary.incident.entities.hosts();
  std::vector<const Host*> out;
  for (const auto& host : hosts)
    if (std::any_of(technique.alerts.begin(), technique.alerts.end(), [&](const auto& alert) {
          return std::find(host.alerts.begin(), host.alerts.end(), alert) != host.alerts.end();
        }))
      out.push_back(&host);
  if (out.empty())
    for (const auto& host : hosts)
      out.push_back(&host);
  return out;
}

bool refined_by_subtechnique(const Summary& summary, const Technique& technique) {
  if (technique.id.find('.') != std::string::npos) return false;
  const std::string prefix = technique.id + ".";
  return std::any_of(summary.techniques.begin(), summary.techniques.end(),
                     [&](const Technique& other) { return other.id.starts_with(prefix); });
}

std::vector<const Technique*> persistence_techniques(const Summary& summary) {
  std::vector<const Technique*> out;
  for (const auto& technique : summary.techniques)
    if (technique.tactic == "Persistence" && !refined_by_subtechnique(summary, technique))
      out.push_back(&technique);
  return out;
}

std::vector<std::string> network_indicators(const Entities& entities) {
  std::vector<std::string> out;
  for (const auto& ip : entities.ips())
    if (!ip.internal) out.push_back(ip.address);
  for (const auto& domain : entities.domains())
    out.push_back(domain.name);
  return out;
}

std::vector<File> hashed_files(const Entities& entities) {
  std::vector<File> out;
  for (const auto& file : entities.files())
    if (!file.sha256.empty() || !file.sha1.empty() || !file.md5.empty()) out.push_back(file);
  return out;
}

std::string full_path(const File& file) {
  if (file.path.empty()) return file.name;
  if (file.name.empty() || file.path.ends_with(file.name)) return file.path;
  const char separator = file.path.find('\\') != std::string::npos ? '\\' : '/';
  return file.path.back() == separator ? file.path + file.name : file.path + separator + file.name;
}

std::string short_technique_name(const Technique& technique) {
  if (technique.name.empty()) return technique.id;
  auto colon = technique.name.find(": ");
  return colon == std::string::npos ? technique.name : technique.name.substr(colon + 2);
}

Triage make_triage(const Summary& summary) {
  return {what_happened(summary), scope(summary.incident.entities), first_steps(summary)};
}

}  // namespace incident
