// SummarizeIncident's JSON result. Its member names follow the generic input shape, so that the
// result can be passed back in (to WriteReport) and read without loss.
#include "incident/summary.hpp"
#include "incident/time_text.hpp"

namespace incident {
namespace {

namespace json = boost::json;

json::value nullable(const std::string& text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

json::value nullable_time(const std::optional<UnixSeconds>& time) {
  return time ? json::value(format_time(*time)) : json::value(nullptr);
}

json::array strings(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

json::object entities_json(const Entities& entities) {
  json::array users, hosts, ips, domains, urls, files, processes;
  for (const auto& user : entities.users())
    users.push_back({{"name", user.name},
                     {"display_name", nullable(user.display_name)},
                     {"alerts", strings(user.alerts)}});
  for (const auto& host : entities.hosts())
    hosts.push_back({{"name", host.name},
                     {"os", nullable(host.os)},
                     {"users", strings(host.users)},
                     {"alerts", strings(host.alerts)}});
  for (const auto& ip : entities.ips())
    ips.push_back(
        {{"address", ip.address}, {"internal", ip.internal}, {"alerts", strings(ip.alerts)}});
  for (const auto& domain : entities.domains())
    domains.push_back({{"name", domain.name}, {"alerts", strings(domain.alerts)}});
  for (const auto& url : entities.urls())
    urls.push_back({{"url", url.url}, {"alerts", strings(url.alerts)}});
  for (const auto& file : entities.files())
    files.push_back({{"name", nullable(file.name)},
                     {"path", nullable(file.path)},
                     {"sha256", nullable(file.sha256)},
                     {"sha1", nullable(file.sha1)},
                     {"md5", nullable(file.md5)},
                     {"host", nullable(file.host)},
                     {"alerts", strings(file.alerts)}});
  for (const auto& process : entities.processes())
    processes.push_back({{"command_line", process.command_line},
                         {"image", nullable(process.image)},
                         {"pid", nullable(process.pid)},
                         {"host", nullable(process.host)},
                         {"user", nullable(process.user)},
                         {"time", nullable_time(process.time)},
                         {"alerts", strings(process.alerts)}});
  return {
      {"users", std::move(users)},        {"hosts", std::move(hosts)}, {"ips", std::move(ips)},
      {"domains", std::move(domains)},    {"urls", std::move(urls)},   {"files", std::move(files)},
      {"processes", std::move(processes)}};
}

json::array alerts_json(const Incident& incident) {
  json::array alerts;
  for (const auto& alert : incident.alerts)
    alerts.push_back({{"id", alert.id},
                      {"title", alert.title},
                      {"severity", severity_name(alert.severity)},
                      {"status", alert.status},
                      {"time", nullable_time(alert.time)},
                      {"last_time", nullable_time(alert.last_time)},
                      {"source", nullable(alert.source)},
                      {"description", nullable(alert.description)},
                      {"techniques", strings(alert.techniques)},
                      {"tactics", strings(alert.tactics)}});
  return alerts;
}

json::array timeline_json(const Summary& summary) {
  json::array timeline;
  for (const auto& event : summary.timeline) {
    json::value source = nullptr;
    if (!event.alerts.empty())
      source = alert_title(summary.incident, event.alerts.front());
    else if (event.kind == "incident")
      source = "incident";
    timeline.push_back({{"time", format_time(event.time)},
                        {"kind", event.kind},
                        {"source", std::move(source)},
                        {"description", event.description},
                        {"alerts", strings(event.alerts)}});
  }
  return timeline;
}

json::array techniques_json(const std::vector<Technique>& techniques) {
  json::array out;
  for (const auto& technique : techniques)
    out.push_back({{"id", technique.id},
                   {"name", nullable(technique.name)},
                   {"tactic", nullable(technique.tactic)},
                   {"alerts", strings(technique.alerts)}});
  return out;
}

}  // namespace

json::object summary_json(const Summary& summary) {
  const Incident& incident = summary.incident;
  return {
      {"shape", incident.shape},
      {"id", nullable(incident.id)},
      {"title", incident.title},
      {"description", nullable(incident.description)},
      {"severity", severity_name(incident.severity)},
      {"status", incident.status},
      {"created", nullable_time(incident.created)},
      {"assigned_to", nullable(incident.assigned_to)},
      {"classification", nullable(incident.classification)},
      {"url", nullable(incident.url)},
      {"first_activity", nullable_time(summary.first_activity)},
      {"last_activity", nullable_time(summary.last_activity)},
      {"alerts", alerts_json(incident)},
      {"timeline", timeline_json(summary)},
      {"entities", entities_json(incident.entities)},
      {"techniques", techniques_json(summary.techniques)},
      {"tactics", strings(summary.tactics)},
      {"triage",
       {{"what_happened", summary.triage.what_happened},
        {"scope", summary.triage.scope},
        {"first_steps", strings(summary.triage.first_steps)}}},
      {"warnings", strings(incident.warnings)},
  };
}

}  // namespace incident
